"""Which details of the people behind a referral each covered section allows (domain/referral_details)."""
from coordination.domain.referral_details import details_allowed


def test_the_name_always_and_the_rest_only_as_the_covered_sections_allow():
    assert details_allowed([]) == {"child_name": ()}
    # A young person's consent about their own health: their date of birth, not their parents or home.
    assert details_allowed(["health"]) == {"child_name": (), "date_of_birth": ("health",)}
    # The family's own sections bring the parents; its home section the address.
    assert details_allowed(["health", "family_environment"]) == {
        "child_name": (), "date_of_birth": ("health", "family_environment"), "parents": ("family_environment",),
        "address": ("family_environment",)}
    assert list(details_allowed([], holds_case=True)) == ["child_name", "date_of_birth", "parents", "address"]
