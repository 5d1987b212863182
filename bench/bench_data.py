"""Benchmark the data layer: build time, Parquet load time and memory (run, don't assert).

    .venv/bin/python bench/bench_data.py [--runs 5]

Prints one JSON line. The build target is under 30 s and loading all Parquet well under 1 s.
"""

import argparse
import json
import resource
import statistics
import time

from dashboard.build.pipeline import build_tables
from dashboard.data import read_areas, read_documents, read_indicators, read_observations


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings), 3)


def load_all() -> int:
    tables = (read_observations(), read_indicators(), read_areas(), read_documents())
    return sum(len(table) for table in tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    observations = read_observations()
    result = {
        "build_median_s": median_seconds(build_tables, runs),
        "load_all_parquet_median_s": median_seconds(load_all, runs),
        "observations_rows": len(observations),
        "observations_memory_mb": round(observations.memory_usage(deep=True).sum() / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": runs,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
