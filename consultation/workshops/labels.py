"""Words shown for each workshop phase, in the reader's language."""

from flask_babel import lazy_gettext as _l

from consultation.workshops.phases import Phase

PHASE_LABELS = {
    Phase.WELCOME: _l("Welcome"),
    # TRANSLATORS: the workshop phase in which residents bring their proposals.
    Phase.IDEATION: _l("Proposals"),
    Phase.DISCUSSION: _l("Discussion"),
    Phase.VOTE: _l("Vote"),
    Phase.SYNTHESIS: _l("Synthesis"),
    Phase.CLOSED: _l("Closed"),
}


def phase_label(phase: Phase | str) -> str:
    return str(PHASE_LABELS[Phase(phase)])
