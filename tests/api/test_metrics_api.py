"""GET /metrics/timeliness and its drill-down, on the hand-built data set of tests/integration/test_metrics.py."""
from ..integration.test_metrics import data_set  # noqa: F401  (fixture)


def _get(client, token, path):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_manager_gets_the_contract_figures_per_pathway_and_stage(client, manager, token_for, data_set):  # noqa: F811
    response = _get(client, token_for(manager), "/api/v1/metrics/timeliness?from=2026-01-01&to=2026-03-31")
    assert response.status_code == 200, response.json
    body = response.json
    figure = next(f for f in body["figures"] if (f["pathway"], f["stage"]) == ("social_care", "decision"))
    assert {k: figure[k] for k in ("count", "within_target", "percent_within_target", "median_days",
                                   "open_overdue")} == {"count": 3, "within_target": 2, "percent_within_target": 66.7,
                                                        "median_days": 1.0, "open_overdue": 2}
    assert body["from"] == "2026-01-01" and "day 0" in body["convention"]
    assert any(m["key"] == "ehc_final_plan_20_weeks" and m["statutory_return"] == "SEN2" for m in body["measures"])


def test_drill_down_lists_the_referrals_behind_a_figure(client, manager, token_for, data_set):  # noqa: F811
    response = _get(client, token_for(manager), "/api/v1/metrics/timeliness/children?from=2026-01-01&to=2026-03-31"
                    "&pathway=social_care&stage=decision&which=late")
    assert response.status_code == 200
    assert [i["referral_id"] for i in response.json["items"]] == [str(data_set[2].id)]
    assert response.json["items"][0]["child_name"] == "Ash Testfamily"


def test_practitioners_are_refused_and_bad_queries_get_a_field_map(client, practitioner, manager, token_for):
    assert _get(client, token_for(practitioner), "/api/v1/metrics/timeliness?from=2026-01-01&to=2026-03-31"
                ).status_code == 403
    bad = _get(client, token_for(manager), "/api/v1/metrics/timeliness?from=2026-03-01&to=2026-01-01&pathway=x")
    assert bad.status_code == 422 and bad.content_type.startswith("application/problem+json")
    assert set(bad.json["errors"]) == {"to", "pathway"}
    missing = _get(client, token_for(manager), "/api/v1/metrics/timeliness")
    assert missing.status_code == 422 and "from" in missing.json["errors"]


def test_drill_down_of_one_breakdown_row(client, manager, token_for, data_set):  # noqa: F811
    token = token_for(manager)
    base = "/api/v1/metrics/timeliness/children?from=2026-01-01&to=2026-03-31&pathway=social_care&stage=decision"
    response = _get(client, token, base + "&which=completed&breakdown=age_band&group=5–10")
    assert response.status_code == 200
    assert [i["referral_id"] for i in response.json["items"]] == [str(data_set[3].id)]
    alone = _get(client, token, base + "&which=completed&breakdown=age_band")
    assert alone.status_code == 422 and "breakdown" in alone.json["errors"]


def test_drill_down_without_a_pathway_is_a_field_map_not_a_server_error(client, manager, token_for):
    token = token_for(manager)
    base = "/api/v1/metrics/timeliness/children?from=2026-01-01&to=2026-03-31&which=completed"
    for query, field in ((base + "&pathway=&stage=decision", "pathway"), (base + "&stage=decision", "pathway"),
                         (base + "&pathway=nope&stage=decision", "pathway"),
                         (base + "&pathway=social_care&stage=nope", "stage")):
        response = _get(client, token, query)
        assert response.status_code == 422, (query, response.get_data(as_text=True))
        assert response.content_type.startswith("application/problem+json")
        assert field in response.json["errors"], response.json
