"""Benchmark the briefing pack: five indicators to PPTX + PDF, cold (run, don't assert).

    .venv/bin/python bench/bench_pack.py [--out DIR]

Prints one JSON line. The target is the issue's "under a minute" from dashboard to pack; the
build itself should take a few seconds. With --out, writes the PPTX and PDF there to look at.
"""

import argparse
import json
import time
from pathlib import Path

from dashboard.briefing import build_pack
from dashboard.briefing_files import build_pdf, build_pptx
from dashboard.catalogue import build_catalogue
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.data import read_areas, read_build_info, read_indicators, read_observations
from dashboard.exports import default_slide_indicators
from dashboard.transforms import area_names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    observations = read_observations()
    catalogue = build_catalogue(read_indicators())
    chosen = [catalogue[i] for i in default_slide_indicators(catalogue, OVERVIEW_INDICATORS)]
    names = area_names(read_areas())
    built_on = read_build_info().built_on
    started = time.perf_counter()
    pack = build_pack(observations, chosen, names, built_on)
    prepared = time.perf_counter()
    pptx = build_pptx(pack)
    pptx_done = time.perf_counter()
    pdf = build_pdf(pack)
    finished = time.perf_counter()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "briefing-5.pptx").write_bytes(pptx)
        (args.out / "briefing-5.pdf").write_bytes(pdf)
    result = {
        "indicators": [indicator.id for indicator in chosen],
        "charts_and_png_s": round(prepared - started, 2),
        "pptx_s": round(pptx_done - prepared, 2),
        "pdf_s": round(finished - pptx_done, 2),
        "total_s": round(finished - started, 2),
        "pptx_kb": len(pptx) // 1024,
        "pdf_kb": len(pdf) // 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
