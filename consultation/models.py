"""Imports every model so that metadata (and Alembic's autogenerate) sees all tables."""

from consultation.accounts.models import User
from consultation.councils.models import Council, Membership, Theme
from consultation.opinions.models import (
    MunicipalAnswer,
    Opinion,
    OpinionComment,
    OpinionFollower,
    OpinionItem,
    OpinionRevision,
    Recommendation,
    RecommendationAnswer,
)
from consultation.pages.models import AccessibilityStatement
from consultation.proposals.models import PaperCount, Proposal, ProposalRevision, Support
from consultation.referrals.models import Question
from consultation.voting.models import PaperEntry, Vote, VoteBallot, VoteOption, VoteParticipation, VoteProxy
from consultation.workshops.models import (
    AgendaItem,
    Attendance,
    Registration,
    Workshop,
    WorkshopEvent,
    WorkshopMinutes,
    WorkshopParticipant,
)

__all__ = [
    "AgendaItem",
    "Attendance",
    "Council",
    "Membership",
    "Opinion",
    "OpinionItem",
    "PaperCount",
    "Proposal",
    "ProposalRevision",
    "Question",
    "Registration",
    "Support",
    "Theme",
    "User",
    "Workshop",
    "WorkshopEvent",
    "WorkshopMinutes",
    "WorkshopParticipant",
]
__all__ += ["AccessibilityStatement"]
__all__ += ["PaperEntry", "Vote", "VoteBallot", "VoteOption", "VoteParticipation", "VoteProxy"]
__all__ += [
    "MunicipalAnswer",
    "OpinionComment",
    "OpinionFollower",
    "OpinionRevision",
    "Recommendation",
    "RecommendationAnswer",
]
from consultation.notifications.models import Notification  # noqa: E402

__all__ += ["Notification"]
from consultation.audit.models import AuditEntry  # noqa: E402

__all__ += ["AuditEntry"]
from consultation.multilingual.models import TextTranslation  # noqa: E402

__all__ += ["TextTranslation"]
from consultation.councils.models import District, Residence  # noqa: E402

__all__ += ["District", "Residence"]
from consultation.consultations.models import (  # noqa: E402
    Consultation,
    Follow,
    ProposalAttachment,
    ProposalComment,
    ProposalEvent,
)

__all__ += ["Consultation", "Follow", "ProposalAttachment", "ProposalComment", "ProposalEvent"]
from consultation.moderation.models import Hiding, Report  # noqa: E402

__all__ += ["Hiding", "Report"]
from consultation.diagnostic.models import Challenge, ChallengeRanking, Diagnostic  # noqa: E402

__all__ += ["Challenge", "ChallengeRanking", "Diagnostic"]
from consultation.calls.models import (  # noqa: E402
    Application,
    ApplicationAttachment,
    ApplicationPartner,
    Call,
    CallCriterion,
    JuryConflict,
    JuryMember,
    JuryScore,
)

__all__ += [
    "Application",
    "ApplicationAttachment",
    "ApplicationPartner",
    "Call",
    "CallCriterion",
    "JuryConflict",
    "JuryMember",
    "JuryScore",
]
from consultation.territory.models import (  # noqa: E402
    Organisation,
    OrganisationLanguage,
    OrganisationRepresentative,
    ProjectReferral,
    ProjectRequest,
    ProjectRequestEvent,
    WorkshopExpert,
)

__all__ += [
    "Organisation",
    "OrganisationLanguage",
    "OrganisationRepresentative",
    "ProjectReferral",
    "ProjectRequest",
    "ProjectRequestEvent",
    "WorkshopExpert",
]
