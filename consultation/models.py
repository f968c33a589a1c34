"""Imports every model so that metadata (and Alembic's autogenerate) sees all tables."""

from consultation.accounts.models import User
from consultation.councils.models import Council, Membership, Theme
from consultation.opinions.models import Opinion, OpinionItem
from consultation.proposals.models import Proposal, Support
from consultation.workshops.models import Workshop

__all__ = ["Council", "Membership", "Opinion", "OpinionItem", "Proposal", "Support", "Theme", "User", "Workshop"]
