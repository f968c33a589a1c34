"""The join QR code as inline SVG: no script, no image request, its title as the alternative text."""

from __future__ import annotations

import segno
from markupsafe import Markup, escape


def join_qr_svg(url: str, title: str, *, scale: int = 6) -> Markup:
    svg = segno.make(url, micro=False, error="m").svg_inline(
        scale=scale, border=2, title=str(escape(title)), svgclass="qr", omitsize=True
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  # nosec B704 (segno output, title escaped)
