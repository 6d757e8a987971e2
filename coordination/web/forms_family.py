"""Forms of the family's own view (plain words) and of the staff pages that invite and exclude."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovTextArea
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from .forms import ServiceForm, text


class FamilyEmailForm(ServiceForm):
    email = text("Email address", "The email address your practitioner invited you with.",
                 validators=[InputRequired("Enter your email address")])


class FamilyCodeForm(ServiceForm):
    code = text("Code", "The 6 numbers in the email we just sent you.",
                validators=[InputRequired("Enter the code from the email")])


class ConfirmForm(ServiceForm):
    """Only the CSRF token: for a button that does one thing."""


class FamilyWithdrawForm(ServiceForm):
    reason = TextAreaField("Tell us why (you do not have to)", widget=GovTextArea(),
                           validators=[Length(max=2000, message="Write 2,000 characters or fewer")])


class InviteForm(ServiceForm):
    person_id = RadioField("Who are you inviting?", widget=GovRadioInput(), choices=[],
                           validators=[InputRequired("Select who you are inviting")])
    email = text("Their email address", "Check it with them, letter by letter.",
                 validators=[InputRequired("Enter their email address")])
    checked_with_them = BooleanField("I have checked this email address with them", widget=GovCheckboxInput(),
                                     validators=[InputRequired("Confirm you have checked the address with them")])
    parental_responsibility = BooleanField(
        "For a parent or carer: they have parental responsibility and it is not restricted",
        widget=GovCheckboxInput())
    competence_assessed = BooleanField(
        "For a child under 13: I have assessed that they are competent to decide for themselves",
        widget=GovCheckboxInput())


class ExcludeForm(ServiceForm):
    reason = TextAreaField("Why are you excluding them?", widget=GovTextArea(),
                           validators=[InputRequired("Enter why this person is excluded"),
                                       Length(max=2000, message="Enter 2,000 characters or fewer")])


class OwnWordsForm(ServiceForm):
    words = TextAreaField("What do you want your practitioner to know?", widget=GovTextArea(),
                          description="Write it in your own words. Nobody will change what you write.",
                          validators=[InputRequired("Write what you want to say"),
                                      Length(max=10_000, message="Write 10,000 characters or fewer")])
    who_can_see = RadioField("Who can see what you write?", widget=GovRadioInput(),
                             choices=[("family", "My family and my practitioner"),
                                      ("just_me", "Just me and my practitioner")],
                             validators=[InputRequired("Choose who can see what you write")])


class SectionConfidentialForm(ServiceForm):
    """Who in the family sees a section in their own view: the whole family, or only the child it is about."""
    confidential_to = RadioField("Who in the family can see this section in their own view?",
                                 widget=GovRadioInput(), choices=[],
                                 validators=[InputRequired("Choose who in the family can see this section")])


class FeedbackForm(ServiceForm):
    said = TextAreaField("What would you like to tell us?", widget=GovTextArea(),
                         description="About the help you get, your practitioner, or this service. We will answer here.",
                         validators=[InputRequired("Write what you would like to tell us"),
                                     Length(max=5000, message="Write 5,000 characters or fewer")])


class ProposalForm(ServiceForm):
    text = TextAreaField("What should it say?", widget=GovTextArea(),
                         description="Change the words below to what you think is right. Your practitioner will "
                                     "look at it. Nothing changes until they agree.",
                         validators=[InputRequired("Write what it should say"),
                                     Length(max=5000, message="Write 5,000 characters or fewer")])


class ReplyForm(ServiceForm):
    reply = TextAreaField("Your reply to the family", widget=GovTextArea(),
                          validators=[InputRequired("Write your reply to the family"),
                                      Length(max=5000, message="Write 5,000 characters or fewer")])


class AskAboutSharingForm(ServiceForm):
    said = TextAreaField("What would you like to talk about?", widget=GovTextArea(),
                         description="For example, who else you would like to share with, or what.",
                         validators=[InputRequired("Write what you would like to talk about"),
                                     Length(max=4000, message="Write 4,000 characters or fewer")])
