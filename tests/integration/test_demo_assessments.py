"""The demo borough shows the assessment status: one family's assessment signed off, one part-complete."""
from coordination import demo
from coordination.demo import team
from coordination.domain.actors import Actor
from coordination.services import assessment, auth, families

CLI = Actor.system("cli")
PASSWORD = "demo-password-for-tests"


def test_the_demo_practitioner_has_a_signed_off_and_a_part_complete_assessment(uow, settings):
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    actor = auth.actor_for_user(auth.sign_in(uow, "practitioner@eastmere.example", PASSWORD))
    uow.commit()
    states = [assessment.get_assessment(uow, actor, f.id).state for f in families.caseload(uow, actor)]
    assert states.count("signed_off") == 1
    assert "in_progress" in states
    again = demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    assert again["families"] == 8 + len(team.WAITING)  # and the two waiting for a lead (demo/team.py)
    assert [assessment.get_assessment(uow, actor, f.id).state for f in families.caseload(uow, actor)] == states
