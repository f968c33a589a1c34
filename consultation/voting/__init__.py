"""Vote counting: the pure engine behind workshop votes and motions."""

from consultation.voting.methods import InvalidBallot, Result, tally

__all__ = ["InvalidBallot", "Result", "tally"]
