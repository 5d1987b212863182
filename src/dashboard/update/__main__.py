"""`python -m dashboard.update FILE`: the Data update page's steps from the command line.

python -m dashboard.update figures.xlsx [--document report.txt] [--yes]
python -m dashboard.update --template figures_template.xlsx
python -m dashboard.update --history
python -m dashboard.update --rollback VERSION
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

from dashboard.build.validation import BuildError
from dashboard.update.access import audit, audit_path, file_digest, plan_outcome
from dashboard.update.apply import (
    UpdateError,
    apply_plan,
    history_table,
    read_history,
    rollback,
)
from dashboard.update.common import ChangePlan, DataDirs
from dashboard.update.plan import plan_update
from dashboard.update.template import build_csv_template, build_template

TABLES = ("new", "revised", "conflicts")
COMMAND = "command line"  # the audit log's session for changes made here


def print_plan(plan: ChangePlan) -> None:
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        for name in TABLES:
            table = getattr(plan, name)
            if not table.empty:
                print(f"\n{name.capitalize()} ({len(table)}):\n{table.to_string(index=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("file", nargs="?", type=Path, help="CSV or .xlsx of figures, or a DfE CSV")
    parser.add_argument(
        "--document", action="append", type=Path, default=[], help="text of a new document"
    )
    parser.add_argument("--yes", action="store_true", help="apply without asking")
    parser.add_argument("--template", type=Path, help="write the template (.xlsx or .csv)")
    parser.add_argument("--history", action="store_true", help="list updates and rollbacks")
    parser.add_argument("--rollback", metavar="VERSION", help="return the data to VERSION")
    parser.add_argument("--data-dir", type=Path, default=DataDirs().root)
    args = parser.parse_args(argv)
    dirs = DataDirs(args.data_dir)
    audit_file = audit_path(dirs.history)
    if args.template:
        make = build_csv_template if args.template.suffix == ".csv" else build_template
        args.template.write_bytes(make(dirs))
        print(f"Template written to {args.template}")
        return 0
    if args.history:
        table = history_table(read_history(dirs))
        print(table.to_string(index=False) if not table.empty else "No updates yet.")
        return 0
    if args.rollback:
        try:
            version = rollback(args.rollback, dirs)
        except UpdateError as error:
            audit(audit_file, "rollback", f"refused {args.rollback}: {error}", session=COMMAND)
            print(error, file=sys.stderr)
            return 1
        outcome = f"rolled back to {args.rollback}; before kept as {version}"
        audit(audit_file, "rollback", outcome, session=COMMAND)
        print(f"Data returned to {args.rollback}; the data before this is kept as {version}.")
        return 0
    if args.file is None:
        parser.print_usage(sys.stderr)
        return 2
    texts = {path.name: path.read_bytes() for path in args.document}
    content = args.file.read_bytes()
    plan = plan_update(args.file.name, content, dirs, texts)
    file = {"session": COMMAND, "file_name": args.file.name, "sha256": file_digest(content)}
    audit(audit_file, "check", plan_outcome(plan), **file)
    if not plan.ready:
        print("Refused; nothing was changed.", file=sys.stderr)
        for line in plan.messages or ["the file changes nothing"]:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"{args.file.name}: {plan.summary()}.")
    print_plan(plan)
    if not args.yes and input("\nApply these changes? [y/N] ").strip().lower() != "y":
        print("Nothing was changed.")
        return 1
    try:
        version = apply_plan(plan, dirs)
    except (UpdateError, BuildError) as error:
        audit(audit_file, "apply", f"refused or failed, nothing changed: {error}", **file)
        print(f"Not applied: {error}.", file=sys.stderr)
        return 1
    audit(audit_file, "apply", f"applied: {plan.summary()}; before kept as {version}", **file)
    print(f"Applied. To undo: python -m dashboard.update --rollback {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
