"""ORM models, one aggregate per module. Import from here so mappers configure together."""
from .agency import Agency
from .apikey import ApiKey
from .assessment import (
    Assessment,
    AssessmentSection,
    AssessmentStatusEvent,
    SectionDefinition,
    SectionVersion,
    VoiceEntry,
)
from .base import Base, EncryptedFields
from .case_note import CaseNote
from .consent import Consent, ConsentRecipient, ConsentSection, Disclosure, DisclosureSection
from .contact import Address, Professional
from .contribution import Contribution
from .ehc import EhcDetails
from .family import Family, Person, PersonNamePrefix
from .family_access import FamilyAccess, FamilyProposal, FamilySectionRelease, FamilySignInCode
from .family_help import (
    FamilyFeedback,
    FgdmRecord,
    GoalOutcomeRecord,
    PlanClosure,
    PlanReview,
    ReviewChildView,
    ReviewProgress,
)
from .instance import AppInstance
from .outbox import OutboxMessage, ProcessedMessage
from .plan import FamilyPlan, LeadHandover, PlanAction, PlanChange, PlanGoal, TeamMember
from .referral import Referral, ReferralClock, ReferralEvent, ReferralException, ReferralPause
from .task import Task, WorkingDay
from .user import PasswordReset, PersonalAccessToken, User

ENCRYPTED_MODELS: tuple[type[EncryptedFields], ...] = (
    Person, SectionVersion, VoiceEntry, Consent, Disclosure, Contribution, Referral, ReferralEvent,
    CaseNote, LeadHandover, PlanGoal, PlanAction, PlanChange, Address, Professional, PlanReview, ReviewChildView,
    PlanClosure, FamilyFeedback, FgdmRecord, FamilyAccess, FamilyProposal, EhcDetails,
)

__all__ = [
    "ENCRYPTED_MODELS", "Address", "Agency", "ApiKey", "AppInstance", "Assessment", "AssessmentSection",
    "AssessmentStatusEvent", "Base",
    "CaseNote", "Consent", "ConsentRecipient", "ConsentSection", "Contribution", "Disclosure", "DisclosureSection",
    "EhcDetails",
    "Family", "FamilyAccess", "FamilyFeedback", "FamilyPlan", "FamilyProposal", "FamilySectionRelease",
    "FamilySignInCode", "FgdmRecord", "GoalOutcomeRecord", "LeadHandover", "OutboxMessage",
    "PasswordReset", "Person", "PersonNamePrefix", "PersonalAccessToken", "PlanAction", "PlanChange", "PlanClosure",
    "PlanGoal",
    "PlanReview",
    "ProcessedMessage", "Professional", "Referral", "ReferralClock", "ReferralEvent", "ReferralException",
    "ReferralPause", "ReviewChildView", "ReviewProgress", "SectionDefinition", "SectionVersion", "Task",
    "TeamMember", "User", "VoiceEntry", "WorkingDay",
]
