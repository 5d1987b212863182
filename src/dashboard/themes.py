"""The themed pages declared as data: per theme, an ordered list of sections (no Streamlit here).

A section names its indicators by id, the chart kind that tells its story and a lead sentence
in plain English. Leads state no numbers: every figure on a themed page is read from the data
by the functions below or by the chart builders. Names, units and polarity come from the
catalogue, never from this file.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.areas import area_catalogue
from dashboard.catalogue import Indicator
from dashboard.formatting import format_value
from dashboard.statuses import lookup_status
from dashboard.transforms import HEADLINE, area_order

# Chart kinds a section can ask for.
TREND = (
    "trend"  # a long official series: a line per area with benchmarks (charts.build_trend_chart)
)
RATE_TREND = "rate_trend"  # counts by category, turned into rates per 10,000 children, as lines
BARS = "bars"  # a few periods: grouped bars per period (charts.build_grouped_bars)
HBARS = "hbars"  # one or a few periods, many rows (indicators or categories): horizontal bars
YEAR_BREAKDOWN = "year_breakdown"  # categories by area for one chosen year
FIGURES = "figures"  # one-off figures of different kinds: a tile each, with its quote
KINDS = (TREND, RATE_TREND, BARS, HBARS, YEAR_BREAKDOWN, FIGURES)
BENCHMARKED = (TREND, RATE_TREND, YEAR_BREAKDOWN)  # kinds that show the page's benchmarks

# Which periods a section draws.
ALL_PERIODS = "all"
ANNUAL = "annual"
QUARTERS = "quarter"

ANY_AREA: tuple[str, ...] = ()  # the section shows whichever areas have figures
ANY_CATEGORY = "*"  # in `breakdowns`: every category; "Prefix: *" matches by prefix

# What a bar's colour stands for, and what each bar row is.
BY_AREA = "area"
BY_BREAKDOWN = "breakdown"
BY_INDICATOR = "indicator"
BY_PERIOD = "period"


# Benchmarks offered on pages with official series, grey on every chart.


@dataclass(frozen=True)
class Section:
    """One story on a themed page: which figures, drawn how, introduced by which sentence."""

    key: str  # unique on its page; widget keys and URL parameters derive from it
    title: str
    lead: str
    kind: str
    indicators: tuple[str, ...]
    areas: tuple[str, ...] | None = None  # None: the headline areas of areas.csv
    breakdowns: tuple[str, ...] = (HEADLINE,)  # in display order; see ANY_CATEGORY
    periods: str = ALL_PERIODS
    rows_by: str = BY_INDICATOR  # HBARS: what each row of bars is
    group_by: str = BY_AREA  # HBARS: what the colours stand for
    split_areas: bool = False  # counts: a chart per area, each with its own scale
    largest_first: bool = False  # HBARS: rows ordered by their latest value, largest first
    stated: tuple[str, ...] = ()  # indicators whose figures are written out above the chart

    @property
    def area_ids(self) -> tuple[str, ...]:
        """The areas drawn; empty (ANY_AREA) means whichever have figures."""
        return area_catalogue().headline if self.areas is None else self.areas


@dataclass(frozen=True)
class ThemePage:
    """A themed page: its title, opening paragraph, catalogue themes and sections."""

    key: str
    title: str
    intro: str
    themes: tuple[str, ...]
    sections: tuple[Section, ...]
    size_note: bool = False  # say how many children each county has (counts are on the page)

    @property
    def benchmarked(self) -> bool:
        return any(section.kind in BENCHMARKED for section in self.sections)

    @property
    def has_trends(self) -> bool:
        """Line charts, which can carry 95% intervals."""
        return any(section.kind in {TREND, RATE_TREND} for section in self.sections)

    def indicator_ids(self) -> list[str]:
        ids = [i for section in self.sections for i in (*section.indicators, *section.stated)]
        return list(dict.fromkeys(ids))


ESAFETY_SURVEY = (
    "esafety_social_network_profile_pct",
    "esafety_uses_webcam_pct",
    "esafety_webcam_users_chat_to_new_people_pct",
    "esafety_over_10_unmet_online_friends_pct",
    "esafety_met_online_stranger_pct",
    "esafety_met_stranger_went_alone_pct",
    "esafety_met_stranger_person_lied_pct",
    "esafety_webcam_chatters_threatened_pct",
    "esafety_sent_indecent_image_pct",
    "esafety_felt_unsafe_online_pct",
    "esafety_parents_take_interest_pct",
    "esafety_learned_at_school_pct",
)

FRONT_DOOR = ThemePage(
    key="front_door",
    title="Front door: contacts, referrals and assessments",
    intro=(
        "What happens when someone is worried about a child: how many contacts reach children's "
        "social care, how many are passed on to social care or early help, and how often "
        "children are referred again. Leicestershire and Rutland differ greatly in size, so the "
        "two are compared as percentages and rates; numbers (counts) are drawn on a separate "
        "scale for each county."
    ),
    themes=("front_door",),
    size_note=True,
    sections=(
        Section(
            "conversion",
            "Where contacts went",
            "The share of contacts passed on to children's social care and to early help, as "
            "percentages, so the two counties can be compared directly.",
            BARS,
            ("report_contacts_to_social_care_pct", "report_contacts_to_early_help_pct"),
        ),
        Section(
            "volumes",
            "Contacts, referrals and assessments",
            "How many contacts, referrals and single assessments each county handled, as "
            "reported by the partnership. Each county has its own scale: compare the direction "
            "of change, not the height of the bars.",
            BARS,
            (
                "report_contacts",
                "report_referrals",
                "report_single_assessments",
                "referral_to_assessment_conversion_pct",
            ),
            split_areas=True,
        ),
        Section(
            "schools",
            "Contacts from schools",
            "Contacts from academies and maintained schools, and how many of them warranted a "
            "referral to children's social care.",
            BARS,
            ("school_contacts", "school_contacts_referred", "school_contacts_referred_pct"),
            split_areas=True,
        ),
        Section(
            "referral_rate",
            "Referrals per 10,000 children (official statistics)",
            "Referrals to children's social care per 10,000 children, from the Department for "
            "Education, beside England, the East Midlands and each county's statistical "
            "neighbours.",
            TREND,
            ("cin_referral_rate",),
        ),
        Section(
            "rereferrals",
            "Children referred again within 12 months",
            "The percentage of referrals about a child who had already been referred in the "
            "previous 12 months.",
            TREND,
            ("cin_rereferral_pct",),
        ),
    ),
)

CHILD_PROTECTION = ThemePage(
    key="child_protection",
    title="Child protection",
    intro=(
        "Children on child protection plans, how many return to a plan, how long plans last, "
        "and the enquiries and conferences that lead to them. Official rates and percentages "
        "come first; the partnership's own counts and the 2008/09 performance indicators follow."
    ),
    themes=("child_protection",),
    size_note=True,
    sections=(
        Section(
            "cpp_rate",
            "Children on a child protection plan",
            "Children on a plan on 31 March per 10,000 children.",
            TREND,
            ("cpp_rate",),
        ),
        Section(
            "repeat_plans",
            "Second or subsequent plans",
            "Of the plans that started in the year, the percentage that were a child's second or "
            "later plan.",
            TREND,
            ("cpp_subsequent_pct",),
        ),
        Section(
            "duration",
            "How long plans had lasted",
            "Children on a plan on 31 March, by how long their plan had lasted, as percentages of "
            "all children on a plan. Choose the year to show.",
            YEAR_BREAKDOWN,
            ("cpp_at_31_march_by_duration_pct",),
            breakdowns=(
                "3 months or less",
                "More than 3 months to 6 months",
                "More than 6 months but less than 1 year",
                "1 year but less than 2 years",
                "2 years or more",
            ),
        ),
        Section(
            "enquiries",
            "Section 47 enquiries and initial conferences",
            "Child protection enquiries (section 47) and initial child protection conferences per "
            "10,000 children.",
            TREND,
            ("s47_rate", "icpc_rate"),
        ),
        Section(
            "report_plans",
            "Children on plans, as the partnership reported",
            "The counts in the partnership's annual reports. Each county has its own scale.",
            BARS,
            ("report_cp_plans_31_march",),
            split_areas=True,
        ),
        Section(
            "pi_2009",
            "Performance indicators in 2008/09, by authority",
            "The child protection indicators the board reported for Leicester, Leicestershire and "
            "Rutland in its 2008/09 annual report.",
            HBARS,
            (
                "pi_repeat_cp_plans_pct",
                "pi_cp_reviews_on_time_pct",
                "pi_cp_plans_lasting_2_years_plus_pct",
                "pi_cp_plans_allocated_social_worker_pct",
                "pi_cp_plans_rate_per_10k",
            ),
            areas=("leicester", "leicestershire", "rutland"),
        ),
    ),
)

CHILDREN_IN_CARE = ThemePage(
    key="children_in_care",
    title="Children in care and missing",
    intro=(
        "Children looked after by each council, and children who go missing from care or are "
        "away from their placement without permission."
    ),
    themes=("children_in_care",),
    size_note=True,
    sections=(
        Section(
            "cla_rate",
            "Looked-after children per 10,000 children",
            "Children looked after on 31 March per 10,000 children, from the Department for "
            "Education.",
            TREND,
            ("cla_rate",),
        ),
        Section(
            "cla_numbers",
            "Looked-after children at 31 March",
            "The official count and the count the partnership reported. Each county has its own "
            "scale.",
            BARS,
            ("cla_at_31_march", "report_looked_after_31_march"),
            split_areas=True,
        ),
        Section(
            "missing",
            "Missing from care, and away without permission",
            "The percentage of looked-after children who went missing at least once in the year, "
            "and who were away from their placement without authorisation.",
            TREND,
            ("cla_missing_pct", "cla_away_pct"),
        ),
        Section(
            "missing_episodes",
            "Missing episodes, as the partnership reported",
            "Episodes of children going missing from home or care. Each county has its own scale.",
            BARS,
            ("report_missing_episodes",),
            split_areas=True,
        ),
    ),
)

EXPLOITATION = ThemePage(
    key="exploitation",
    title="Exploitation",
    intro=(
        "Referrals about children at risk of child sexual exploitation (CSE), the share about "
        "boys, and how often exploitation and going missing were identified at the end of a "
        "social care assessment."
    ),
    themes=("exploitation",),
    size_note=True,
    sections=(
        Section(
            "cse_year",
            "CSE referrals by year",
            "Referrals about children at risk of sexual exploitation. Where the report's tables "
            "disagree, both figures are drawn as diamonds and quoted below. Each county has its "
            "own scale.",
            BARS,
            ("report_cse_referrals",),
            periods=ANNUAL,
            split_areas=True,
        ),
        Section(
            "cse_quarter",
            "CSE referrals by quarter",
            "The same referrals, quarter by quarter. Each county has its own scale.",
            BARS,
            ("report_cse_referrals",),
            periods=QUARTERS,
            split_areas=True,
        ),
        Section(
            "cse_boys",
            "Referrals about boys and young men",
            "The share of CSE referrals about boys and young men across Leicester, Leicestershire "
            "and Rutland, with the local target as a black tick.",
            BARS,
            ("cse_referrals_male_pct",),
            areas=ANY_AREA,
            breakdowns=(HEADLINE, "Target"),
        ),
        Section(
            "assessment_factors",
            "Exploitation and going missing at the end of assessments",
            "Assessments at which child sexual exploitation, child criminal exploitation or going "
            "missing was identified, turned into rates per 10,000 children here so that the "
            "counties can be compared (the table keeps each count and population).",
            RATE_TREND,
            ("assessment_factor_count",),
            breakdowns=(
                "Child sexual exploitation",
                "Child criminal exploitation",
                "Going missing",
            ),
        ),
        Section(
            "context",
            "Other figures",
            "Funding and national context quoted in the documents.",
            FIGURES,
            (
                "cse_partnership_funding_awarded",
                "sexual_exploitation_victims_male_pct",
                "male_sexual_exploitation_victims_reporting_pct",
            ),
            areas=ANY_AREA,
        ),
    ),
)

ONLINE_SAFETY = ThemePage(
    key="online_safety",
    title="Online safety",
    intro=(
        "What pupils told the 2016 schools e-safety survey in Leicestershire and Rutland, and "
        "the online-safety work of the board and its partners."
    ),
    themes=("online_safety",),
    sections=(
        Section(
            "survey",
            "The e-safety survey: Year 6 and Year 9",
            "Each row is one survey finding, as a percentage of pupils in that year group. A "
            "missing bar means the report gives the finding for one year group only.",
            HBARS,
            ESAFETY_SURVEY,
            areas=("leicestershire_and_rutland",),
            breakdowns=("Year 6", "Year 9"),
            group_by=BY_BREAKDOWN,
            stated=("esafety_survey_responses",),
        ),
        Section(
            "delivery",
            "E-safety work with schools and carers",
            "What the board's e-safety work delivered in the year.",
            FIGURES,
            (
                "esafety_award_schools_registered",
                "esafety_award_schools_achieved",
                "esafety_dsl_training_sessions",
                "esafety_dsl_training_attendees",
                "esafety_foster_carer_sessions",
                "esafety_resource_disks_distributed",
            ),
            areas=ANY_AREA,
        ),
        Section(
            "brecks_last_game",
            "Breck's Last Game",
            "The police film about online grooming, as described in the 2018 newsletter. These "
            "figures describe the campaign of four police forces and the film's views from "
            "anywhere online: its reach, not Leicestershire or Rutland statistics.",
            FIGURES,
            (
                "brecks_last_game_trailer_views",
                "brecks_last_game_experts_consulted",
                "brecks_last_game_police_forces",
            ),
            areas=ANY_AREA,
        ),
    ),
)

WORKFORCE_TRAINING = ThemePage(
    key="workforce_training",
    title="Workforce and training",
    intro=(
        "Allegations against adults who work with children (the LADO), the partnership's "
        "multi-agency training, and the children's social work workforce."
    ),
    themes=("workforce_training",),
    size_note=True,
    sections=(
        Section(
            "lado",
            "Allegations referred to the LADO",
            "Allegations against adults who work with children referred to the Local Authority "
            "Designated Officer. Each county has its own scale; where passages disagree both "
            "figures are shown.",
            BARS,
            ("lado_referrals",),
            split_areas=True,
        ),
        Section(
            "lado_outcomes",
            "Outcomes of allegations",
            "Allegations by the outcome of the investigation, where the reports give it.",
            HBARS,
            ("lado_allegation_outcomes",),
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            split_areas=True,
        ),
        Section(
            "lado_employers",
            "Allegations by employer, 2008/09",
            "Who the adults in the allegations worked for, in each authority's panel. Numbers "
            "(counts), each authority on its own scale.",
            HBARS,
            ("lado_referrals",),
            areas=("leicester", "leicestershire", "rutland"),
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            split_areas=True,
        ),
        Section(
            "training",
            "Multi-agency training delivered",
            "Training events run by the board or partnership and the delegates who attended.",
            BARS,
            ("training_events", "training_delegates"),
            areas=ANY_AREA,
        ),
        Section(
            "training_priorities",
            "Training reach by partnership priority",
            "People trained, people who watched a training video, and the two together, for each "
            "of the partnership's priorities.",
            HBARS,
            ("training_delegates", "priority_training_video_viewers", "priority_training_reach"),
            areas=ANY_AREA,
            breakdowns=("Priority: *",),
            rows_by=BY_BREAKDOWN,
            group_by=BY_INDICATOR,
        ),
        Section(
            "social_workers",
            "Children's social workers (official statistics)",
            "Turnover, agency workers, vacancies and caseloads of children and family social "
            "workers, at 30 September each year.",
            TREND,
            ("sw_turnover_pct", "sw_agency_pct", "sw_vacancy_pct", "sw_caseload"),
        ),
    ),
)

REVIEWS_LEARNING = ThemePage(
    key="reviews_learning",
    title="Reviews and learning",
    intro=(
        "How the partnership learns from deaths and serious incidents: the Child Death Overview "
        "Panel, serious case reviews, rapid reviews, local child safeguarding practice reviews "
        "and multi-agency audits."
    ),
    themes=("reviews_learning",),
    sections=(
        Section(
            "cdop",
            "Child Death Overview Panel",
            "Child deaths reviewed and what the reviews found. Some figures cover Leicester, "
            "Leicestershire and Rutland, others Leicestershire and Rutland only: the colours say "
            "which.",
            HBARS,
            (
                "child_deaths_reviewed",
                "child_deaths_modifiable_factors",
                "child_deaths_learning_identified",
                "cdop_panels",
            ),
            areas=ANY_AREA,
        ),
        Section(
            "scr",
            "Serious case reviews",
            "Serious case reviews and related learning, as each annual report states them.",
            HBARS,
            (
                "serious_case_reviews",
                "scrs_other_areas_engaged",
                "non_scr_case_reviews",
                "scr_learning_events",
            ),
            areas=ANY_AREA,
        ),
        Section(
            "rapid_reviews",
            "Rapid reviews",
            "Rapid reviews of serious child safeguarding incidents held each year.",
            BARS,
            ("rapid_reviews",),
            areas=ANY_AREA,
        ),
        Section(
            "lcsprs",
            "Local child safeguarding practice reviews",
            "Reviews commissioned, under way and published in the year.",
            HBARS,
            ("lcsprs_commissioned", "lcsprs_under_way", "lcsprs_published"),
            areas=ANY_AREA,
        ),
        Section(
            "review_children",
            "The children in the reviews",
            "The children at the centre of the year's reviews, by age group, ethnicity and sex, as "
            "percentages.",
            HBARS,
            ("review_subject_children_pct",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            stated=("review_subject_children",),
        ),
        Section(
            "babies",
            "Reviews behind the Safeguarding Babies priority",
            "The national and local reviews the partnership cites as the reason for the priority.",
            HBARS,
            ("reviews_informing_babies_priority",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
        ),
        Section(
            "audits",
            "Multi-agency audits",
            "Cases sampled in each audit, by authority.",
            HBARS,
            ("audit_cases_sampled",),
            areas=("leicester", "leicestershire", "rutland"),
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
        ),
    ),
)

MONEY = ThemePage(
    key="money",
    title="Money",
    intro=(
        "The board's and partnership's budget, income and spending, and what each partner "
        "contributed. The body changed over time: the 2008/09 board covered Leicester, "
        "Leicestershire and Rutland; later figures are for Leicestershire and Rutland; and in "
        "the 2020s partners fund the children's partnership and the adults board together. "
        "Figures for different bodies are drawn side by side, never added together."
    ),
    themes=("money",),
    sections=(
        Section(
            "totals",
            "Budget, income and spending",
            "Each bar is one total as a document states it, labelled with its year; the colour "
            "says which total. Totals for the children's partnership and the adults board "
            "together have their own names and colours.",
            HBARS,
            (
                "board_budget",
                "board_income",
                "partner_contribution",
                "board_expenditure",
                "scp_sab_total_income",
                "scp_sab_total_expenditure",
            ),
            areas=ANY_AREA,
            rows_by=BY_PERIOD,
            group_by=BY_INDICATOR,
        ),
        Section(
            "spending",
            "What the partnership spent its money on",
            "The children's partnership's own spending by heading, year by year.",
            HBARS,
            ("board_expenditure",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            group_by=BY_PERIOD,
            largest_first=True,
        ),
        Section(
            "partners_board",
            "Contributions by partner to the children's board",
            "What each agency paid into the board's budget. The later year is the budget planned "
            "at the time of the report (pale bars), not money received.",
            HBARS,
            ("partner_contribution",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            group_by=BY_PERIOD,
            largest_first=True,
        ),
        Section(
            "partners_joint",
            "Contributions by partner to the partnership and adults board together",
            "What each agency paid into the joint budget of the children's partnership and the "
            "adults board. This is a different budget from the one above, so the two are not "
            "joined into one series.",
            HBARS,
            ("scp_sab_partner_contribution",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            group_by=BY_PERIOD,
            largest_first=True,
        ),
    ),
)

DOMESTIC_ABUSE_EDUCATION = ThemePage(
    key="domestic_abuse_education",
    title="Domestic abuse and education",
    intro=(
        "High-risk domestic abuse cases at MARAC, Operation Encompass notifications to schools, "
        "domestic abuse support services, and children missing education or educated at home."
    ),
    themes=("domestic_abuse", "education"),
    sections=(
        Section(
            "marac",
            "MARAC",
            "Cases of high-risk domestic abuse considered at the Multi-Agency Risk Assessment "
            "Conference, and referrals about young people. The periods are as the report "
            "gives them.",
            BARS,
            ("marac_cases", "marac_referrals_young_people"),
            areas=ANY_AREA,
        ),
        Section(
            "services",
            "Domestic abuse services: what users said",
            "Outcomes reported by people using the domestic abuse support service.",
            HBARS,
            (
                "domestic_abuse_service_users_felt_safer_pct",
                "domestic_abuse_service_users_needs_met_pct",
                "domestic_abuse_service_users_reduced_violence_pct",
            ),
            areas=ANY_AREA,
        ),
        Section(
            "helpline",
            "Domestic abuse helpline calls",
            "Calls before and after the new service began. The two periods differ in length, as "
            "the labels say, so compare them with care.",
            HBARS,
            ("domestic_abuse_helpline_calls",),
            areas=ANY_AREA,
            breakdowns=(ANY_CATEGORY,),
            rows_by=BY_BREAKDOWN,
            stated=("domestic_abuse_people_supported",),
        ),
        Section(
            "encompass",
            "Operation Encompass",
            "Police notifications to schools when a child has been exposed to domestic abuse.",
            FIGURES,
            (
                "operation_encompass_children_notified",
                "op_encompass_children_unknown_to_services_pct",
                "op_encompass_schools_notified_daily_max",
                "op_encompass_post_weekend_notification_ratio",
            ),
            areas=ANY_AREA,
        ),
        Section(
            "missing_education",
            "Children missing education",
            "Children not on a school roll nor receiving suitable education otherwise, and the "
            "plan's aim for tracking them.",
            FIGURES,
            ("children_missing_education", "children_missing_education_tracked_pct"),
            areas=ANY_AREA,
        ),
        Section(
            "home_education",
            "Checks on children educated at home",
            "The share of children in elective home education who received the council's "
            "statutory checks.",
            BARS,
            ("elective_home_education_checks_pct",),
        ),
        Section(
            "early_years",
            "A good level of development in the early years",
            "Children reaching the expected level at the end of the early years foundation "
            "stage, as quoted in the report.",
            BARS,
            ("eyfs_expected_level_pct",),
            areas=ANY_AREA,
        ),
    ),
)

THEME_PAGES: dict[str, ThemePage] = {
    page.key: page
    for page in (
        FRONT_DOOR,
        CHILD_PROTECTION,
        CHILDREN_IN_CARE,
        EXPLOITATION,
        ONLINE_SAFETY,
        WORKFORCE_TRAINING,
        REVIEWS_LEARNING,
        MONEY,
        DOMESTIC_ABUSE_EDUCATION,
    )
}


def matches_breakdown(breakdown: str, wanted: Sequence[str]) -> bool:
    """Whether a category is one a section asks for (exact, ANY_CATEGORY, or 'Prefix: *')."""
    for pattern in wanted:
        if pattern == ANY_CATEGORY and breakdown != HEADLINE:
            return True
        if pattern.endswith(ANY_CATEGORY) and pattern != ANY_CATEGORY:
            if breakdown.startswith(pattern[:-1]):
                return True
        elif pattern == breakdown:
            return True
    return False


def section_rows(
    observations: pd.DataFrame,
    section: Section,
    indicator_ids: Sequence[str] | None = None,
    benchmarks: Sequence[str] = (),
) -> pd.DataFrame:
    """Every row a section draws (all passages, conflicts included), in period order."""
    ids = list(indicator_ids if indicator_ids is not None else section.indicators)
    keep = observations["indicator_id"].isin(ids)
    if section.area_ids:
        extra = list(benchmarks) if section.kind in BENCHMARKED else []
        keep &= observations["area"].isin([*section.area_ids, *extra])
    keep &= observations["breakdown"].map(lambda b: matches_breakdown(b, section.breakdowns))
    if section.periods == ANNUAL:
        keep &= observations["period_type"] != "quarter"
    elif section.periods == QUARTERS:
        keep &= observations["period_type"] == "quarter"
    rows = observations[keep]
    order = {name: position for position, name in enumerate(section.breakdowns)}
    ranked = rows.assign(
        _indicator=rows["indicator_id"].map({i: n for n, i in enumerate(ids)}),
        _category=rows["breakdown"].map(lambda b: order.get(b, len(order))),
        _area=rows["area"].map({a: n for n, a in enumerate(area_order(rows["area"]))}),
    )
    keys = ["year_end", "period", "_indicator", "_category", "_area", "record_id"]
    return ranked.sort_values(keys).drop(columns=keys[2:5]).reset_index(drop=True)


def period_span(rows: pd.DataFrame) -> str:
    """'2013/14 to 2015/16', or the one period."""
    periods = list(dict.fromkeys(rows.sort_values(["year_end", "period"])["period"]))
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"


def latest_sentence(
    rows: pd.DataFrame, indicator: Indicator, names: Mapping[str, str], unit: str = ""
) -> str:
    """'Latest figures (2024/25): Leicestershire 38.4 per 10,000; Rutland 30.1 per 10,000.'

    Each area's own latest figure, so an area that has not published the newest year is still
    reported (with its own period); disputed or unpublished figures are named as such.
    """
    unit = unit or indicator.unit
    parts: list[tuple[str, str]] = []
    for area in area_order(rows["area"]):
        own = rows[(rows["area"] == area) & (rows["status"] != "target")]
        if own.empty:
            continue
        last = own[own["year_end"] == own["year_end"].max()]
        values = list(dict.fromkeys(last["value"].dropna()))
        if len(values) > 1:
            shown = " or ".join(format_value(v, unit) for v in values) + " (sources disagree)"
        elif values:
            shown = format_value(values[0], unit)
        else:
            shown = format_value(float("nan"), unit, str(last["value_symbol"].iloc[0]))
        parts.append((str(last["period"].iloc[0]), f"{names.get(area, area)} {shown}"))
    if not parts:
        return ""
    periods = list(dict.fromkeys(period for period, _ in parts))
    if len(periods) == 1:
        return f"Latest figures ({periods[0]}): " + "; ".join(text for _, text in parts) + "."
    return "Latest figures: " + "; ".join(f"{text} ({period})" for period, text in parts) + "."


def stated_sentence(rows: pd.DataFrame, indicator: Indicator, names: Mapping[str, str]) -> str:
    """A figure written out above a chart, e.g. the survey's responses by year group."""
    if rows.empty:
        return ""
    ordered = rows.assign(_total=rows["breakdown"] == "").sort_values(["year_end", "_total"])
    parts = []
    for row in ordered.itertuples():
        what = row.breakdown or "in total"
        qualifier = lookup_status(row.status).written.qualifier
        parts.append(
            f"{what} {qualifier}{format_value(row.value, indicator.unit, row.value_symbol)}"
        )
    areas = ", ".join(names.get(area, area) for area in area_order(rows["area"]))
    return f"{indicator.name} ({areas}, {period_span(rows)}): " + "; ".join(parts) + "."


def size_sentence(population: pd.DataFrame, names: Mapping[str, str]) -> str:
    """How many children each county has (latest ONS estimate), so counts are read fairly."""
    headline = area_catalogue().headline
    rows = population[population["area"].isin(headline) & population["value"].notna()]
    if rows.empty or rows["area"].nunique() < len(headline):
        return ""
    year = int(rows.groupby("area")["year_end"].max().min())
    latest = rows[rows["year_end"] == year].set_index("area")
    big, small = (float(latest.loc[area, "value"]) for area in headline)
    ratio = big / small
    return (
        f"The ONS estimates {format_value(big, 'count')} children aged 0-17 in "
        f"{names.get(headline[0], headline[0])} and {format_value(small, 'count')} in "
        f"{names.get(headline[1], headline[1])} ({latest.loc[headline[0], 'period']}): about "
        f"{ratio:,.0f} times as many. Numbers (counts) for the two are therefore drawn on "
        "separate scales; percentages and rates per 10,000 children are compared directly."
    )


def planned_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Label a period whose every figure is a target '(planned)', so bars never pass as outcomes."""
    planned = rows.groupby("period")["status"].transform(lambda s: (s == "target").all())
    return rows.assign(period=rows["period"].where(~planned, rows["period"] + " (planned)"))
