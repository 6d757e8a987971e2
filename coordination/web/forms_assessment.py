"""Forms for the assessment's status: a section complete or not, the family's agreement (who and when)."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField

from .forms import DatePartsField, ServiceForm

COMPLETED_CHOICES = [("completed", "Yes, I\u2019ve completed this section"),
                     ("in_progress", "No, I\u2019ll come back to it later")]


class SectionStatusForm(ServiceForm):
    status = RadioField("Have you completed this section?", widget=GovRadioInput(), choices=COMPLETED_CHOICES,
                        validate_choice=False)


class AgreementForm(ServiceForm):
    agreed_by = RadioField("Who in the family agreed the assessment?", widget=GovRadioInput(), choices=[],
                           validate_choice=False,
                           description="A parent or carer with parental responsibility, or a young person aged 13 "
                                       "or over.")
    agreed_on = DatePartsField("When did they agree it?", description="For example, 27 3 2026")
