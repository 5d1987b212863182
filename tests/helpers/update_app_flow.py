"""The end-to-end page flow, run by test_update_page.py in a subprocess whose environment points
the app at a temporary copy of data/ (DASHBOARD_DATA_DIR) and sets the admin password.

A separate process because the data directory is fixed when dashboard.paths is imported.
Prints one JSON object with what the test asserts on.
"""

import json
import sys

from streamlit.testing.v1 import AppTest

from dashboard.paths import PROJECT_ROOT

from helpers.update_fixtures import RUTLAND_CSE, figures_csv

APP = str(PROJECT_ROOT / "app.py")


def main(password: str) -> dict:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data_update.py")
    at.run()
    at.text_input(key="update_password").input(password)
    at.button(key="update_sign_in").click().run()
    at.file_uploader(key="update_file").set_value(
        ("rutland.csv", figures_csv(RUTLAND_CSE), "text/csv")
    )
    at.run()
    at.button(key="update_check").click().run()
    preview = at.dataframe[0].value  # AppTest does not expose dataframe keys
    at.button(key="update_confirm").click().run()
    success = [element.value for element in at.success]
    at.query_params.clear()
    at.query_params.update({"indicator": "report_cse_referrals", "areas": "rutland"})
    at.switch_page("pages/indicator.py")
    at.run()
    for switch in at.toggle:  # show the tables behind the charts
        if switch.key.endswith("_show_table"):
            switch.set_value(True)
    at.run()
    # The table behind a chart is wide: one column per period.
    periods = sorted({str(column) for table in at.table for column in table.value.columns})
    exceptions = [str(e.value) for e in at.exception]
    at.query_params.clear()
    at.switch_page("pages/sources.py")
    at.run()
    exceptions += [str(e.value) for e in at.exception]
    history = [frame.value for frame in at.dataframe if "Version" in frame.value]
    return {
        "exceptions": exceptions,
        "built": [c.value for c in at.caption if c.value.startswith("Data last built")],
        "history": history[0][["What", "File", "New values"]].values.tolist() if history else [],
        "preview": preview[["Indicator", "Area", "Period", "Value"]].values.tolist(),
        "success": success,
        "indicator_periods": periods,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), default=str))
