"""Figures pinned against the documents: value, area, period and the passage that states each one.

Each expectation was read by hand from the document named in its comment, so a change to the
figures CSVs that moves a value, an area or a period fails here.
"""

import pandas as pd
import pytest

from dashboard.data import read_indicators, read_observations


@pytest.fixture(scope="module")
def report() -> pd.DataFrame:
    observations = read_observations()
    return observations[observations["source_family"] == "partnership_report"]


PINNED = [
    # lrlscb_annual_report_summary_2015-16.txt: safeguarding profile table
    ("report_contacts", "leicestershire", "2013/14", "", 15228, "Number of contacts 690 717 901"),
    ("report_contacts", "leicestershire", "2015/16", "", 12773, "Number of contacts 690 717 901"),
    ("report_contacts", "rutland", "2013/14", "", 690, "Number of contacts 690 717 901"),
    ("report_contacts", "rutland", "2015/16", "", 901, "Number of contacts 690 717 901"),
    ("report_referrals", "leicestershire", "2014/15", "", 4635, "Number of referrals 241 255"),
    ("report_referrals", "rutland", "2015/16", "", 369, "Number of referrals 241 255 369"),
    ("report_contacts_to_social_care_pct", "leicestershire", "2013/14", "", 39, "Proportion of"),
    ("report_contacts_to_social_care_pct", "rutland", "2015/16", "", 41, "Rutland was 41%"),
    ("report_single_assessments", "leicestershire", "2015/16", "", 2412, "Number of Single"),
    ("report_single_assessments", "rutland", "2014/15", "", 201, "Number of Single n/a 201"),
    ("report_cse_referrals", "leicestershire", "2015/16", "", 303, "CSE referrals n/a 184 303"),
    ("report_cse_referrals", "leicestershire", "2015/16 Q4", "", 90, "184 303 49 75 89 90"),
    ("report_cse_referrals", "rutland", "2015/16", "", 8, "fourfold from 2 in 2014/15 to 8"),
    ("report_missing_episodes", "leicestershire", "2015/16", "", 709, "Missing episodes n/a"),
    ("report_missing_episodes", "rutland", "2014/15", "", 3, "Missing episodes n/a 3 13"),
    # same document: prose
    ("school_contacts", "leicestershire", "2014/15", "", 1825, "total of 1825 contacts"),
    ("school_contacts", "leicestershire", "2015/16", "", 2084, "to 2084 in"),
    ("school_contacts_referred", "leicestershire", "2015/16", "", 782, "782 (38%)"),
    ("school_contacts_referred_pct", "leicestershire", "2015/16", "", 38, "782 (38%)"),
    ("school_contacts", "rutland", "2015/16", "", 161, "a total of 161"),
    ("school_contacts_referred_pct", "rutland", "2015/16", "", 55, "89 (55%)"),
    ("board_budget", "leicestershire_and_rutland", "2015/16", "", 326030, "£326,030"),
    ("lado_referrals", "leicestershire", "2015/16", "", 248, "with 248 referrals"),
    ("lado_referrals", "rutland", "2015/16", "", 14, "14 referrals were received"),
    ("lado_referrals", "rutland", "2014/15", "", 27, "down from 27 in 2014/15"),
    ("child_deaths_reviewed", "llr", "2015/16", "", 104, "104 child death cases"),
    ("cdop_panels", "llr", "2015/16", "", 11, "held 11 panels"),
    ("training_events", "llr", "2015/16", "", 46, "the 46 events"),
    ("esafety_survey_responses", "leicestershire_and_rutland", "2016", "Year 6", 2518, "2,518"),
    ("esafety_survey_responses", "leicestershire_and_rutland", "2016", "Year 9", 2626, "2,626"),
    # llr_lscb_annual_report_2008-09.txt
    ("board_budget", "llr", "2008/09", "", 406720, "TOTAL INCOME (406,720)"),
    ("board_income", "llr", "2008/09", "", 430594, "(430,594)"),
    ("lado_referrals", "leicestershire", "2008/09", "", 117, "TOTAL 11 117 156"),
    ("lado_referrals", "leicester", "2008/09", "Education staff", 71, "Education staff 11 63 71"),
    ("partner_contribution", "llr", "2009/10", "Probation", 31112, "Probation 17,416.00 31,112"),
    ("partner_contribution", "llr", "2008/09", "CAFCASS", 1695, "CAFCASS 1,695.00"),
    # lrscp_annual_report_2022-23.txt
    ("training_events", "llr", "2022/23", "", 103, "over 103 training events"),
    ("training_delegates", "llr", "2022/23", "", 2569, "delivered to 2,569 individuals"),
    ("rapid_reviews", "leicestershire_and_rutland", "2022/23", "", 3, "three rapid reviews"),
    ("rapid_reviews", "leicestershire_and_rutland", "2021/22", "", 8, "eight carried out"),
    ("scp_sab_total_income", "leicestershire_and_rutland", "2022/23", "", 364633, "£364,633"),
    (
        "scp_sab_partner_contribution",
        "leicestershire_and_rutland",
        "2021/22",
        "Rutland County Council",
        45833,
        "Rutland County Council £45,833",
    ),
]


@pytest.mark.parametrize(
    ("indicator_id", "area", "period", "breakdown", "value", "quote_fragment"),
    PINNED,
    ids=[f"{row[0]}-{row[1]}-{row[2]}-{row[3]}" for row in PINNED],
)
def test_pinned_figure_is_in_the_dataset_with_its_quote(
    report, indicator_id, area, period, breakdown, value, quote_fragment
):
    rows = report[
        (report["indicator_id"] == indicator_id)
        & (report["area"] == area)
        & (report["period"] == period)
        & (report["breakdown"] == breakdown)
        & (report["value"] == value)
    ]
    assert not rows.empty, "figure missing or with another value"
    assert rows["source_ref"].str.contains(quote_fragment, regex=False).any()


def test_rutland_cse_2014_15_keeps_both_disagreeing_passages(report):
    rows = report[
        (report["indicator_id"] == "report_cse_referrals")
        & (report["area"] == "rutland")
        & (report["period"] == "2014/15")
    ]
    assert set(rows["value"]) == {2.0, 3.0}
    assert rows["conflict_id"].nunique() == 1
    assert rows["conflict_id"].iloc[0] != ""


def test_provisional_values_are_marked(report):
    profile_2015_16 = report[
        (report["indicator_id"] == "report_referrals") & (report["period"] == "2015/16")
    ]
    assert set(profile_2015_16["status"]) == {"provisional"}


def test_report_and_official_measures_of_the_same_thing_are_linked():
    counterparts = read_indicators().set_index("indicator_id")["counterpart_id"]
    assert counterparts["report_cp_plans_31_march"] == "cpp_at_31_march"
    assert counterparts["report_looked_after_31_march"] == "cla_at_31_march"
    assert counterparts["report_referrals"] == "cin_referrals"
