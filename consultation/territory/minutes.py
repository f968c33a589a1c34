"""The lines a workshop's minutes give to the experts of the territory's organisations invited to it."""

from __future__ import annotations

from flask_babel import gettext as _

from consultation.territory.services import experts_of

MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+-.!|"


def _plain(text: str) -> str:
    """People's words inside generated Markdown: shown as typed, never as formatting."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in " ".join(text.split()))


def experts_section(workshop) -> list[str]:
    """A "Invited experts" section of Markdown lines; nothing when nobody was invited."""
    experts = experts_of(workshop.id)
    if not experts:
        return []
    lines = ["\n### " + _("Invited experts")]
    for expert in experts:
        if expert.role:
            lines.append(
                "- "
                + _(
                    "%(name)s (%(role)s), %(organisation)s",
                    name=_plain(expert.person_name),
                    role=_plain(expert.role),
                    organisation=_plain(expert.organisation.name),
                )
            )
        else:
            lines.append(
                "- "
                + _(
                    "%(name)s, %(organisation)s",
                    name=_plain(expert.person_name),
                    organisation=_plain(expert.organisation.name),
                )
            )
    return lines
