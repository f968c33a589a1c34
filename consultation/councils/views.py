"""A council's public page."""

from __future__ import annotations

from flask import Blueprint, render_template

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.opinions.services import opinions_of_council
from consultation.permissions import can_manage_workshop
from consultation.privacy.rules import can_set_retention
from consultation.workshops.services import workshops_of

bp = Blueprint("councils", __name__, url_prefix="/councils")


@bp.get("/<slug>")
@access.public
def show(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    return render_template(
        "councils/show.html",
        council=council,
        workshops=workshops_of(actor, council),
        opinions=opinions_of_council(actor, council.id),
        can_manage=can_manage_workshop(actor, council.id),
        can_set_retention=can_set_retention(actor),
    )
