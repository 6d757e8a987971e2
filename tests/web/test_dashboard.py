"""The timeliness dashboard, drill-down and CSV, on test_metrics' hand-counted data set (1 January – 31 March
2026): the figures a manager reads on the page are the hand-counted ones."""
from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from audit.models import AuditEvent
from tests.integration.test_metrics import data_set  # noqa: F401  (the hand-built fixture)

from .conftest import error_summary, title_of

PERIOD = "from_date=2026-01-01&to_date=2026-03-31"


def _cells(html: str, stage: str) -> list[str]:
    """The text of each cell of the figures row for `stage` (pathway.clock)."""
    row = re.search(rf'<tr class="govuk-table__row" data-stage="{re.escape(stage)}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {stage}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    return [" ".join(re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', "", c).split())
            for c in cells]


def _audits(uow, action):
    return list(uow.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.seq)).scalars())


def test_manager_sees_the_hand_counted_figures_when_opening_the_dashboard(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    response = browser.get(f"/timeliness?{PERIOD}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(html).startswith("Timeliness")
    stage, target, count, within, percent, median, p90, unit, opened, overdue = _cells(html, "social_care.decision")
    assert (count, within, percent, median, p90, unit, opened, overdue) == (
        "3", "2", "66.7%", "1", "2", "working days", "3", "2")
    ehc = _cells(html, "ehc_needs_assessment.final_plan")
    assert ehc[2:8] == ["4", "2", "50%", "143.5", "168", "days"]
    assert "2 of 3 (66.7%)" in html  # 20 weeks excluding exceptions
    assert "Working days are Monday to Friday" in html and "as of" in html
    assert html.count('role="img"') >= 3  # a per-stage chart per pathway and the trends
    assert "Referral to decision: 66.7% (2 of 3)" in html  # the chart's text alternative
    assert 'href="/timeliness"' in html  # the Timeliness navigation item


def test_each_figure_links_to_the_children_behind_it_when_not_broken_down(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?{PERIOD}").get_data(as_text=True)
    assert "/timeliness/children?from=2026-01-01&amp;to=2026-03-31&amp;pathway=social_care&amp;stage=decision" \
           "&amp;which=overdue" in html


def test_breakdown_by_age_band_shows_a_row_per_band(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?{PERIOD}&pathway=social_care&breakdown=age_band").get_data(as_text=True)
    cells = _cells(html, "social_care.decision.16–17")
    assert cells[1] == "16–17" and cells[3:6] == ["1", "0", "0%"]


def test_a_breakdown_rows_figure_links_to_that_groups_children(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?{PERIOD}&pathway=social_care&breakdown=age_band").get_data(as_text=True)
    link = re.search(r'href="(/timeliness/children\?[^"]*which=completed[^"]*group=16[^"]*)"', html)
    assert link, "the completed figure of the 16–17 row links to its children"
    page = browser.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Age band: 16–17" in page and "1 referral." in page
    csv = browser.get(link.group(1).replace("&amp;", "&").replace("/children?", "/children.csv?"))
    assert csv.status_code == 200 and len(csv.get_data(as_text=True).strip().splitlines()) == 2


def test_practitioner_is_refused_the_dashboard_and_its_downloads(signed_in):
    for path in ("/timeliness", "/timeliness/exports", f"/timeliness/children.csv?{PERIOD}&pathway=social_care"
                 "&stage=decision&which=late", "/timeliness/exports/documentation"):
        assert signed_in.get(path).status_code == 403, path
    assert 'href="/timeliness"' not in signed_in.get("/caseload").get_data(as_text=True)


def test_a_period_ending_before_it_starts_shows_the_error_summary(browser, manager):
    browser.sign_in(manager)
    response = browser.get("/timeliness?from_date=2026-03-01&to_date=2026-01-01&pathway=nope")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert title_of(html).startswith("Error: Timeliness")
    links = error_summary(html)
    assert links["#to_date-day"] == "The end of the period must be on or after its start"
    assert "#pathway" in links


def test_a_date_that_is_not_real_shows_the_error_summary(browser, manager):
    browser.sign_in(manager)
    html = browser.get("/timeliness?from_date=31&from_date=2&from_date=2026&to_date=2026-03-01").get_data(
        as_text=True)
    assert error_summary(html) == {"#from_date-day": "From must be a real date"}


def test_drill_down_lists_the_late_referral_with_the_childs_name(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get("/timeliness/children?from=2026-01-01&to=2026-03-31&pathway=social_care&stage=decision"
                       "&which=late").get_data(as_text=True)
    rows = re.findall(r'data-referral="([^"]+)"', html)
    assert rows == [str(data_set[2].id)]
    assert "Ash Testfamily" in html and "Download CSV" in html
    assert f'href="/families/{data_set[2].family_id}"' in html


def test_csv_download_has_the_header_and_a_row_per_referral_and_is_audited(browser, manager, data_set,  # noqa: F811
                                                                            uow):
    browser.sign_in(manager)
    response = browser.get("/timeliness/children.csv?from=2026-01-01&to=2026-03-31&pathway=social_care"
                           "&stage=decision&which=overdue")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "social_care-decision-overdue-2026-01-01-to-2026-03-31.csv" in disposition
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["referral_id"] for r in rows} == {str(data_set[4].id), str(data_set[5].id)}
    assert rows[0]["child_name"] == "Ash Testfamily" and rows[0]["within_target"] == ""
    exports = _audits(uow, "export")
    assert [(e.record_type, e.details["rows"]) for e in exports] == [("timeliness_drill_down", 2)]
    assert "Ash" not in str(exports[0].details)


def test_unknown_figure_in_a_drill_down_is_a_bad_request(browser, manager):
    browser.sign_in(manager)
    response = browser.get("/timeliness/children?from=2026-01-01&to=2026-03-31&pathway=social_care&stage=nope"
                           "&which=late")
    assert response.status_code == 400


def test_extract_download_and_its_documentation(browser, manager, data_set, uow):  # noqa: F811
    browser.sign_in(manager)
    page = browser.get("/timeliness/exports").get_data(as_text=True)
    assert 'href="/timeliness/exports/documentation#sen2"' in page
    response = browser.get("/timeliness/exports?from_date=2026-01-01&to_date=2026-03-31&extract=sen2")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert sorted(r["IssuedWithin20Weeks"] for r in rows) == ["N", "N", "Y", "Y"]
    assert [(e.record_type, e.details["rows"]) for e in _audits(uow, "export")] == [("sen2_extract", 4)]
    docs = browser.get("/timeliness/exports/documentation").get_data(as_text=True)
    assert 'id="sen2"' in docs and 'id="cin"' in docs and "IssuedWithin20WeeksOrExcepted" in docs


def test_extract_with_a_bad_period_shows_the_error_summary(browser, manager):
    browser.sign_in(manager)
    response = browser.get("/timeliness/exports?from_date=2026-03-01&to_date=2026-01-01&extract=cin")
    assert response.status_code == 400
    assert error_summary(response.get_data(as_text=True)) == {
        "#to_date-day": "The end of the period must be on or after its start"}


def test_breakdown_by_agency_names_the_receiving_agencies(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?{PERIOD}&breakdown=agency").get_data(as_text=True)
    assert "Eastmere Children&#39;s Social Care" in html and "Eastmere SEND Team" in html
    assert "/timeliness/children?" in html  # the statutory measures still lead to their children


def test_statutory_measure_links_to_the_children_behind_it(browser, manager, data_set):  # noqa: F811
    browser.sign_in(manager)
    html = browser.get(f"/timeliness?{PERIOD}").get_data(as_text=True)
    row = re.search(r'<tr class="govuk-table__row" id="measure-ehc_needs_assessment-final_plan">(.*?)</tr>', html,
                    re.S).group(1)
    assert "pathway=ehc_needs_assessment&amp;stage=final_plan&amp;which=completed" in row
    assert "SEN2" in row and "2 of 3 (66.7%)" in row


def test_drill_down_and_its_csv_without_a_pathway_show_what_is_wrong(browser, manager):
    browser.sign_in(manager)
    for path in ("/timeliness/children", "/timeliness/children.csv"):
        response = browser.get(f"{path}?from=2026-01-01&to=2026-03-31&pathway=&stage=decision&which=completed")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert response.mimetype == "text/html"
        summary = html[html.index("govuk-error-summary"):]
        assert "There is a problem" in summary and "Choose a pathway" in summary, path
        assert title_of(html).startswith("Error: ")
