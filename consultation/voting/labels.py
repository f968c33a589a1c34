"""Words shown for votes, in the reader's language: methods, plain-words explanations, grades, errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consultation.voting.rules import DEFAULT_GRADE_KEYS, Channel, Electorate, Status

METHOD_NAMES = {
    "plurality": _l("Single choice"),
    "approval": _l("Approval vote"),
    "score": _l("Score vote"),
    "majority_judgment": _l("Majority judgment"),
    "schulze": _l("Ranked vote (Schulze method)"),
    "motion": _l("Motion (yes, no or abstain)"),
    "dot": _l("Dot voting"),
}

METHOD_EXPLANATIONS = {
    "plurality": _l("Each voter chooses one option. The option chosen by the most voters wins."),
    "approval": _l(
        "Each voter ticks every option they accept, as many as they like. The option accepted by the most voters wins."
    ),
    "score": _l(
        "Each voter gives every option a score from 0 to %(max_score)s. The option with the highest total wins; "
        "equal totals are separated by the average score."
    ),
    "majority_judgment": _l(
        "Each voter gives every option a grade, from “%(worst)s” to “%(best)s”. An option left without a grade "
        "gets the lowest one. Each option gets its majority grade: the grade that at least half of the voters "
        "give it or better. The option with the best majority grade wins; when two have the same one, the grades "
        "closest to the middle separate them."
    ),
    "schulze": _l(
        "Each voter ranks the options: 1 for their favourite, 2 for the next, and so on; equal numbers mean equal "
        "preference and unranked options come last. Options are compared two by two: the winner is the option "
        "that beats every other, directly or through a chain of stronger preferences (Schulze method)."
    ),
    "motion": _l(
        "Each voter answers yes, no or abstains. The motion is adopted when the required majority of yes is "
        "reached and enough people voted (the quorum)."
    ),
    "dot": _l(
        "Each voter has %(points)s points to share between the options as they wish. The option with the most "
        "points wins."
    ),
}

MAJORITY_NAMES = {
    "simple": _l("Simple majority: more yes than no"),
    "absolute": _l("Absolute majority: more yes than half of the ballots, abstentions included"),
    "two_thirds": _l("Two-thirds majority: at least twice as many yes as no"),
}

ELECTORATE_NAMES = {
    Electorate.WORKSHOP: _l("Workshop participants (joined by code or marked present)"),
    Electorate.MEMBERS: _l("Council members"),
    Electorate.RESIDENTS: _l("Everyone registered in the council"),
}

STATUS_NAMES = {
    Status.DRAFT: _l("In preparation"),
    Status.OPEN: _l("Open"),
    Status.CLOSED: _l("Closed"),
}

CHANNEL_NAMES = {
    Channel.ONLINE: _l("Online"),
    Channel.ROOM: _l("In the room"),
    Channel.PAPER: _l("On paper"),
}

MOTION_CHOICES = {
    # TRANSLATORS: an answer to a motion put to the vote.
    "yes": _l("Yes"),
    # TRANSLATORS: an answer to a motion put to the vote.
    "no": _l("No"),
    # TRANSLATORS: an answer to a motion put to the vote.
    "abstain": _l("Abstain"),
}

# The French majority judgment grades, worst first: à rejeter, insuffisant, passable, assez bien, bien, très bien.
DEFAULT_GRADES = {
    # TRANSLATORS: majority judgment grade 1 of 6 (worst), French « à rejeter ».
    "reject": _l("Reject"),
    # TRANSLATORS: majority judgment grade 2 of 6, French « insuffisant ».
    "insufficient": _l("Insufficient"),
    # TRANSLATORS: majority judgment grade 3 of 6, French « passable ».
    "passable": _l("Passable"),
    # TRANSLATORS: majority judgment grade 4 of 6, French « assez bien ».
    "fairly_good": _l("Fairly good"),
    # TRANSLATORS: majority judgment grade 5 of 6, French « bien ».
    "good": _l("Good"),
    # TRANSLATORS: majority judgment grade 6 of 6 (best), French « très bien ».
    "very_good": _l("Very good"),
}
if tuple(DEFAULT_GRADES) != DEFAULT_GRADE_KEYS:  # the keys stored in votes and their words stay in step
    raise RuntimeError("DEFAULT_GRADES and DEFAULT_GRADE_KEYS differ")

MOTION_OUTCOMES = {
    "adopted": _l("The motion is adopted."),
    "quorum_not_reached": _l("The motion is not adopted: the quorum was not reached."),
    "majority_not_reached": _l("The motion is not adopted: the required majority was not reached."),
    "no_ballots": _l("The motion is not adopted: nobody voted."),
}

# InvalidBallot.reason -> what the voter reads.
BALLOT_ERRORS = {
    "unknown_option": _l("One of your choices is not an option of this vote. Reload the page and vote again."),
    "over_budget": _l("You gave more points than you have. Take some points back and send your ballot again."),
    "out_of_range": _l("One of the numbers is outside the allowed range. Correct it and send your ballot again."),
    "wrong_shape": _l("Your ballot is incomplete or malformed. Check your choices and send it again."),
    "duplicate": _l("The same option appears twice in your ballot. Correct it and send it again."),
    "missing_rule": _l("This vote is not set up correctly. Tell the facilitators."),
    "invalid_rule": _l("This vote is not set up correctly. Tell the facilitators."),
}

PROXY_ERRORS = {
    "vote_opened": _l("Proxies can only be given or withdrawn before the vote opens."),
    "self": _l("You cannot give a proxy to yourself."),
    "giver_not_eligible": _l("Only a person who may vote can give a proxy."),
    "holder_not_eligible": _l("The person you choose must be able to vote in this vote."),
    "chain": _l("A proxy cannot be passed on: choose someone who votes in person."),
    "limit": _l("This person already holds as many proxies as this vote allows."),
}

PAPER_ERRORS = {
    "not_countable": _l("This method needs the paper ballots one by one."),
    "unknown_option": _l("One of the counts is not for an option of this vote."),
    "negative": _l("Counts cannot be negative."),
    "approval_over_ballots": _l("An option cannot be ticked on more ballots than were counted."),
    "empty": _l("Enter at least one ballot."),
}


def method_name(method: str) -> str:
    return str(METHOD_NAMES[method])


def grade_labels(grades: list[str] | None) -> list[str]:
    """The grade names to show, worst first: translated defaults, or the council's own words."""
    if not grades:
        return [str(DEFAULT_GRADES[key]) for key in DEFAULT_GRADE_KEYS]
    return [str(DEFAULT_GRADES[g]) if g in DEFAULT_GRADES else g for g in grades]


def method_explanation(method: str, *, max_score: int | None, points: int | None, grades: list[str]) -> str:
    text = METHOD_EXPLANATIONS[method]
    if method == "score":
        return str(text) % {"max_score": max_score}
    if method == "dot":
        return str(text) % {"points": points}
    if method == "majority_judgment":
        return str(text) % {"worst": grades[0], "best": grades[-1]}
    return str(text)
