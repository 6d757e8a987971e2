"""Flask-WTF forms rendered with the GOV.UK widgets. Forms parse input; the services hold the rules.

Every form is a `ServiceForm` (a FlaskForm, so every POST carries and checks a CSRF token) or, for rows and
GET forms, a `ServiceSubForm`: both put the service's one text rule (coordination.domain.text) on every field,
so text with control characters is an error on its field before any service sees it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from coordination.domain.text import FORM_MESSAGE, is_plain_text

from .drafts import timed_out


def plain_text(_form, field: Field) -> None:
    """The one text rule on a field's value (or each value of a multiple choice)."""
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    if any(isinstance(v, str) and not is_plain_text(v) for v in values):
        raise ValidationError(FORM_MESSAGE)


class _PlainTextMeta:
    """Binds every field of the form with `plain_text` last among its validators."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        field.validators = [*field.validators, plain_text]
        return field


class ServiceForm(FlaskForm):
    """A posted form: CSRF-checked, every field under the text rule."""

    class Meta(_PlainTextMeta):
        pass


class ServiceSubForm(Form):
    """Rows inside a ServiceForm (FormField) and GET forms: every field under the text rule."""

    class Meta(_PlainTextMeta):
        pass


class DatePartsField(Field):
    """A GOV.UK date input: three boxes (day, month, year) posted under one name. Blank means no date."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.data: dt.date | None

    def _value(self):
        return self.data

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # the widget unpacks raw_data as (day, month, year) unless it is None
            return
        parts = [v.strip() for v in valuelist[:3]] + [""] * (3 - len(valuelist[:3]))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        day, month, year = parts
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            self.data = None
            raise ValueError(f"{self.label.text} must include a {' and '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            self.data = dt.date(int(year), int(month), int(day))
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None


def text(label: str, description: str = "", **kwargs) -> StringField:
    return StringField(label, description=description, widget=GovTextInput(), **kwargs)


class SignInForm(ServiceForm):
    email = text("Email address", validators=[InputRequired("Enter your email address")])
    password = StringField("Password", widget=GovPasswordInput(),
                           validators=[InputRequired("Enter your password")])


class SignOutForm(ServiceForm):
    """Only the CSRF token: signing out is a POST so another site cannot sign people out."""


class PersonRow(ServiceSubForm):
    given_name = text("First name")
    family_name = text("Last name")
    date_of_birth = DatePartsField("Date of birth")
    nhs_number = text("NHS number (optional)", "10 digits, like 943 476 5919")


class ChildRow(PersonRow):
    upn = text("Unique pupil number (UPN) (optional)", "A letter then 12 characters, like H801200001001")


PARENT_ROWS = 2
CHILD_ROWS = 4


class CreateFamilyForm(ServiceForm):
    """Fixed rows instead of a JavaScript "add another": empty rows are ignored."""

    parents = FieldList(FormField(PersonRow), min_entries=PARENT_ROWS, max_entries=PARENT_ROWS)
    children = FieldList(FormField(ChildRow), min_entries=CHILD_ROWS, max_entries=CHILD_ROWS)
    confirm_new = HiddenField()


class FindFamilyForm(ServiceForm):
    reference = text("Family reference", "Like EH-7K3M9Q")
    nhs_number = text("NHS number")
    upn = text("Unique pupil number (UPN)")
    given_name = text("First name")
    family_name = text("Last name")
    date_of_birth = DatePartsField("Date of birth", description="For example, 27 3 2015")
    name = text("Part of a name", "At least the first 3 letters of a first or last name, or of both, like ‘Fern’ "
                "or ‘Mor Fern’", validators=[Length(max=200, message="Enter 200 characters or fewer")])


class KnownForm(ServiceForm):
    nhs_number = text("NHS number", "10 digits, like 943 476 5919")
    given_name = text("First name")
    family_name = text("Last name")
    date_of_birth = DatePartsField("Date of birth", description="For example, 27 3 2015")


class SectionForm(ServiceForm):
    content = TextAreaField("Section text", widget=GovTextArea())
    version = HiddenField()


class VoiceForm(ServiceForm):
    child_id = RadioField("Which child?", widget=GovRadioInput(), choices=[], validate_choice=False)
    words = TextAreaField("What the child said, drew or showed", widget=GovTextArea(),
                          description="Their words exactly as given. Describe a drawing or other media in words.",
                          validators=[Length(max=10_000)])
    method = RadioField("How was it captured?", widget=GovRadioInput(), choices=[], validate_choice=False)
    recorded_on = DatePartsField("Date recorded", description="For example, 27 3 2026")
    section_key = SelectField("Which part of the assessment does it speak to? (optional)", widget=GovSelect(),
                              choices=[], validate_choice=False)
    confidential = BooleanField("Confidential to the young person: do not show it to their parents or carers in "
                                "the family's own view", widget=GovCheckboxInput())
    corrects_id = HiddenField()


# ---- error summary ------------------------------------------------------------------------------

def leaf_fields(form) -> Iterator[Field]:
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from (leaf_fields(entry.form) if isinstance(entry, FormField) else [entry])
        elif isinstance(field, FormField):
            yield from leaf_fields(field.form)
        else:
            yield field


def anchor(field: Field) -> str:
    """The id an error summary link should point at (a date input's first box)."""
    return f"{field.name}-day" if isinstance(field, DatePartsField) else field.id


def error_list(form, extra: list[dict] | None = None) -> list[dict]:
    """Every error of the form for the error summary, a timed-out token first (drafts.timed_out)."""
    items = [{"text": f.errors[0], "href": f"#{anchor(f)}"} for f in leaf_fields(form)
             if f.errors and f.name != "csrf_token"]
    return timed_out(form) + (extra or []) + items


def add_service_errors(fields: dict[str, Field], errors: dict[str, list[str]]) -> list[dict]:
    """Attach a service's Invalid field map to the form's fields; return messages with no field."""
    unplaced = []
    for key, messages in errors.items():
        field = fields.get(key)
        if field is not None:
            field.errors = list(field.errors or []) + list(messages)
        else:
            unplaced.extend(messages)
    return [{"text": m} for m in unplaced]
