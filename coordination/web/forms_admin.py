"""Forms for the admin console (staff accounts, agencies) and for setting a password through a reset link.

They parse input only: services.admin and services.password_reset hold the rules and answer with field errors,
which the views place on these fields. No radio is preselected, not even a staff member's current role.
"""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSelect
from wtforms import RadioField, SelectField, StringField

from coordination.domain.actors import AgencyType, Role

from .forms import ServiceForm, ServiceSubForm, text
from .forms_sharing import AGENCY_TYPE_LABELS

# One agency's type (the sharing pages' labels name groups of agencies: "Schools").
AGENCY_TYPES = {**AGENCY_TYPE_LABELS, AgencyType.SCHOOL: "School"}

ROLE_LABELS = {
    Role.PRACTITIONER.value: "Practitioner",
    Role.MANAGER.value: "Manager",
    Role.ADMIN.value: "Admin",
}
ROLE_HINTS = {
    Role.PRACTITIONER.value: "Works with families. In an early help or social care team, holds that team's cases; "
                             "elsewhere, sees only what families agreed to share",
    Role.MANAGER.value: "As a practitioner, and oversees the team: allocates work, shares for safeguarding, "
                        "sees timeliness",
    Role.ADMIN.value: "Runs the service: staff, agencies and API keys. Cannot read any family's record",
}
STATUS_LABELS = {"active": "Active", "deactivated": "Deactivated"}


def role_choices() -> list[tuple[str, str]]:
    return list(ROLE_LABELS.items())


class StaffFilterForm(ServiceSubForm):
    """The staff list's filters (a GET form: no CSRF token; nothing is changed)."""

    agency = SelectField("Agency", widget=GovSelect(), choices=[], validate_choice=False)
    role = SelectField("Role", widget=GovSelect(), choices=[], validate_choice=False)
    status = SelectField("Status", widget=GovSelect(), choices=[], validate_choice=False)


class NewStaffForm(ServiceForm):
    name = text("Full name")
    email = text("Work email address", "We will email them a link to set their password")
    agency_id = SelectField("Agency", widget=GovSelect(), choices=[], validate_choice=False)
    role = RadioField("Role", widget=GovRadioInput(), choices=[], validate_choice=False)


class CheckStaffForm(ServiceForm):
    """Only the CSRF token: the answers are in the session draft shown on the page."""


class RoleForm(ServiceForm):
    role = RadioField("New role", widget=GovRadioInput(), choices=[], validate_choice=False)


class AccountActionForm(ServiceForm):
    """Only the CSRF token: deactivate, reactivate, send a reset link."""


class AgencyForm(ServiceForm):
    name = text("Name")
    type = RadioField("Type of agency", widget=GovRadioInput(), choices=[], validate_choice=False)
    contact = text("Contact route (optional)",
                   "How other teams reach this one, like a team inbox or phone line. Shown when a team asks "
                   "whether a child is known")


class NewPasswordForm(ServiceForm):
    password = StringField("New password", widget=GovPasswordInput(),
                           description="At least 12 characters. A few unrelated words make a strong password")
    confirmation = StringField("Confirm new password", widget=GovPasswordInput())
