"""Profile one page's warm script run with pyinstrument, to find what a slow page spends time on.

    .venv/bin/python bench/profile_page.py pages/theme_front_door.py [--query section=volumes]

AppTest runs the script in its own thread, which a profiler started here would not see; so the
run goes through a small entry script, written beside app.py for the run and removed after,
that starts pyinstrument inside the script thread and then runs app.py as usual.
"""

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PROFILED_ENTRY = """
import os
from pathlib import Path

from pyinstrument import Profiler

profiler = Profiler(interval=0.0005)
profiler.start()
try:
    exec(compile(Path({app!r}).read_text(), {app!r}, "exec"))
finally:
    profiler.stop()
    if os.environ.get("PROFILE_REPORT"):
        Path(os.environ["PROFILE_REPORT"]).write_text(profiler.output_text(color=False))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("page", help="page file relative to app.py, e.g. pages/compare.py")
    parser.add_argument("--query", action="append", default=[], help="URL parameter name=value")
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    query = dict(item.split("=", 1) for item in args.query)
    app = str(PROJECT_ROOT / "app.py")
    handle, entry = tempfile.mkstemp(prefix=".profile_", suffix=".py", dir=PROJECT_ROOT)
    os.close(handle)
    report = Path(tempfile.mkstemp(suffix=".txt")[1])
    try:
        Path(entry).write_text(PROFILED_ENTRY.format(app=app), encoding="utf-8")

        def run(profiled: bool) -> None:
            test = AppTest.from_file(entry, default_timeout=60)
            test.run()
            test.query_params.update(query)
            test.switch_page(args.page)
            if profiled:
                os.environ["PROFILE_REPORT"] = str(report)
            test.run()
            os.environ.pop("PROFILE_REPORT", None)

        run(profiled=False)  # warm the caches: the profile is of a warm run
        run(profiled=True)
        print(report.read_text(encoding="utf-8"))
    finally:
        Path(entry).unlink(missing_ok=True)
        report.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
