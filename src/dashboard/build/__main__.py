"""`python -m dashboard.build`: rebuild data/*.parquet from the sources, or explain why not."""

import argparse
import sys
import time
from pathlib import Path

from dashboard.build.pipeline import BuildInputs, build_tables, rebuild
from dashboard.build.validation import BuildError
from dashboard.paths import (
    DATA_DIR,
    DOCUMENTS_DIR,
    RAW_NATIONAL_DIR,
    RAW_OFFICIAL_DIR,
    SOURCES_DIR,
)
from dashboard.transaction import DataBusyError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--sources-dir", type=Path, default=SOURCES_DIR)
    parser.add_argument("--documents-dir", type=Path, default=DOCUMENTS_DIR)
    parser.add_argument("--raw-official-dir", type=Path, default=RAW_OFFICIAL_DIR)
    parser.add_argument("--raw-national-dir", type=Path, default=RAW_NATIONAL_DIR)
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    inputs = BuildInputs(
        args.sources_dir, args.documents_dir, args.raw_official_dir, args.raw_national_dir
    )
    started = time.perf_counter()
    try:
        tables = build_tables(inputs) if args.check else rebuild(inputs, args.out_dir)
    except BuildError as error:
        print(
            f"Build failed: {len(error.problems)} problem(s); "
            f"{args.out_dir}/*.parquet left unchanged.",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except DataBusyError as error:
        print(f"Build not started: {error}.", file=sys.stderr)
        return 1
    except OSError as error:
        reason = error.strerror or "a disk error"
        print(
            f"Build failed: the tables could not be written ({reason}); "
            f"{args.out_dir}/*.parquet left unchanged.",
            file=sys.stderr,
        )
        return 1
    counts = ", ".join(f"{name}: {len(frame)} rows" for name, frame in tables.items())
    action = "validated" if args.check else f"wrote {args.out_dir}/*.parquet"
    print(f"Build {action} in {time.perf_counter() - started:.1f} s ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
