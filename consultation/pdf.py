"""What every PDF of the platform shares: the tagged variants, a fetcher that fetches nothing, the page footer."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-3b"


class NoRemoteFetcher(URLFetcher):
    """Everything a PDF shows is inline: nothing is fetched from the network or the disk."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",))


def page_counter_content() -> Markup:
    """The CSS `content` of the page footer, "Page X of Y" in the document's language.

    The sentence is translated whole, then cut at its placeholders, so that each language
    keeps its own word order."""
    sentence = _("Page %(page)s of %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for index, piece in enumerate(sentence.split("\x00")):
        if index % 2:
            parts.append(f"counter({'pages' if piece == 'pages' else 'page'})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(parts))  # noqa: S704  # nosec B704 (CSS from a translated string, quotes escaped)
