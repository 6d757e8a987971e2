"""Migration 0025 gives every existing person an LAchildID (short, random, unique), adds the census details
(ciphertext only) and the referral's census items; declined referrals become NFA. Its downgrade removes them, on
both databases."""
from __future__ import annotations

import datetime as dt
import re
import uuid

from alembic import command
from sqlalchemy import inspect, text

from coordination.migrate import alembic_config, upgrade
from coordination.models import Agency, Family, Person, Referral

from .migration_support import as_then


def test_existing_people_get_an_la_child_id_and_declined_referrals_are_nfa(fresh_database):
    engine = fresh_database.engine
    command.downgrade(alembic_config(engine), "0019")
    assert "la_child_id" not in {c["name"] for c in inspect(engine).get_columns("person")}
    now = dt.datetime.now(dt.UTC)
    agency, family = uuid.uuid4(), uuid.uuid4()
    people = [uuid.uuid4() for _ in range(3)]
    with engine.begin() as conn:
        as_then(conn, Agency, {"id": agency, "name": "Hub", "type": "council_early_help", "created_at": now})
        as_then(conn, Family, {"id": family, "reference": "EH-TEST25", "owning_agency_id": agency,
                               "created_at": now, "updated_at": now})
        as_then(conn, Person, [{"id": p, "family_id": family, "role": "child", "position": i, "given_name_ct": "x",
                                "family_name_ct": "x", "created_at": now, "version": 1}
                               for i, p in enumerate(people)])
        as_then(conn, Referral, [{"id": uuid.uuid4(), "family_id": family, "child_id": people[0],
                                  "pathway": "social_care", "to_agency_id": agency, "urgency": "routine",
                                  "status": status, "stage": "referral", "received_on": now.date(),
                                  "received_at": now, "decision": decision, "re_referral": False,
                                  "sections_shared": [], "created_at": now, "updated_at": now}
                                 for status, decision in (("declined", "decline"), ("accepted", "accept"),
                                                          ("received", None))])
    upgrade(engine)
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(text("SELECT la_child_id FROM person"))]
        nfa = sorted((row[0] or "", row[1]) for row in conn.execute(text(
            "SELECT decision, referral_nfa FROM referral")))
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(re.fullmatch(r"C[0-9A-HJKMNP-TV-Z]{11}", i) for i in ids)
    assert nfa == [("", None), ("accept", False), ("decline", True)]
    person = {c["name"] for c in inspect(engine).get_columns("person")}
    assert {"sex_ct", "ethnicity_ct", "disabilities_ct", "upn_unknown_ct", "former_upn_ct"} <= person
    assert not {"sex", "ethnicity", "disabilities"} & person
    assert "assessment_factors_ct" in {c["name"] for c in inspect(engine).get_columns("referral")}
    command.downgrade(alembic_config(engine), "0019")
    assert "la_child_id" not in {c["name"] for c in inspect(engine).get_columns("person")}
    upgrade(engine)
