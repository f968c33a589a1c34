"""Pure vote-counting engine: plurality, approval, score, majority judgment, Schulze, motions and dot voting."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from typing import Any

Option = Hashable
Rules = Mapping[str, Any]
Counted = tuple[list[list[Option]], dict[str, Any]]  # what each method returns: the tiers and its own details

METHODS: tuple[str, ...] = ("plurality", "approval", "score", "majority_judgment", "schulze", "motion", "dot")
MOTION_OPTIONS: tuple[str, ...] = ("yes", "no", "abstain")
MAJORITIES: tuple[str, ...] = ("simple", "absolute", "two_thirds")
# Every InvalidBallot.reason this module can produce, so the web layer can check its translations are complete.
REASONS: tuple[str, ...] = (
    "unknown_option",
    "over_budget",
    "out_of_range",
    "wrong_shape",
    "duplicate",
    "missing_rule",
    "invalid_rule",
)
# Every details["reason"] a motion can end with.
MOTION_REASONS: tuple[str, ...] = ("adopted", "quorum_not_reached", "majority_not_reached", "no_ballots")

# Ballots that are collections; str is excluded on purpose: "abc" would silently become three approvals.
_COLLECTIONS = (list, tuple, set, frozenset)


class InvalidBallot(ValueError):
    """A ballot (or a rule) the method cannot count; `.index` locates the ballot, `.reason` is a stable code."""

    def __init__(self, message: str, index: int | None = None, reason: str = "wrong_shape") -> None:
        # All three go to args so that the exception survives pickling (e.g. across worker processes).
        super().__init__(message, index, reason)
        self.message = message
        self.index = index
        self.reason = reason

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Result:
    """The outcome of a count: tiers best first, the elected tier, and the figures a results page shows."""

    method: str
    ranking: list[list[Any]]
    winners: list[Any]
    details: dict[str, Any]


# --------------------------------------------------------------------------------------------- helpers


def _invalid(reason: str, text: str, index: int | None) -> InvalidBallot:
    prefix = f"Ballot at index {index}: " if index is not None else "Ballot: "
    return InvalidBallot(prefix + text, index, reason)


def _rule_error(reason: str, text: str) -> InvalidBallot:
    return InvalidBallot(text, None, reason)


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but True as a score is almost always a form-handling bug, so refuse it.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_options(method: str, options: Iterable[Option] | None) -> list[Option]:
    if options is None:
        if method == "motion":
            return list(MOTION_OPTIONS)
        raise ValueError(f"The {method} method needs a list of options.")
    if isinstance(options, str | bytes | Mapping):
        raise ValueError("Options must be a sequence of options, not a string or a mapping.")
    result = list(options)
    try:
        distinct = set(result)
    except TypeError as error:
        raise ValueError("Every option must be hashable (a string, an int, …).") from error
    if len(distinct) != len(result):
        raise ValueError(f"Options must be distinct; {_first_duplicate(result)!r} appears more than once.")
    if method == "motion":
        if not {"yes", "no"} <= distinct or not distinct <= set(MOTION_OPTIONS):
            raise ValueError('A motion\'s options are "yes", "no" and optionally "abstain".')
    return result


def _require(rules: Rules, name: str, method: str) -> Any:
    if name not in rules or rules[name] is None:
        raise _rule_error("missing_rule", f"The {method} method needs the rule {name!r}.")
    return rules[name]


def _positive_int_rule(rules: Rules, name: str, method: str) -> int:
    value = _require(rules, name, method)
    if not _is_int(value) or value < 1:
        raise _rule_error("invalid_rule", f"The rule {name!r} must be a positive integer, got {value!r}.")
    return value


def _grades_rule(rules: Rules) -> list[Any]:
    grades = _require(rules, "grades", "majority_judgment")
    if not isinstance(grades, list | tuple) or len(grades) < 2:
        raise _rule_error("invalid_rule", "The rule 'grades' must be a list of at least two grade names, worst first.")
    return list(grades)


def _tiers_by_key(options: list[Option], key: Callable[[Option], Any]) -> list[list[Option]]:
    """Group options into tiers of equal key, highest key first, keeping the given order inside a tier."""
    # sorted(reverse=True) is still stable, which is what keeps the order of `options` inside each tier.
    ordered = sorted(options, key=key, reverse=True)
    tiers: list[list[Option]] = []
    previous: Any = object()
    for option in ordered:
        k = key(option)
        if tiers and k == previous:
            tiers[-1].append(option)
        else:
            tiers.append([option])
            previous = k
    return tiers


def _materialise(ballots: Iterable[Any]) -> Sequence[Any]:
    # Several counts walk the ballots twice (fast count, then a slow pass to locate a bad ballot).
    if isinstance(ballots, list | tuple):
        return ballots
    if isinstance(ballots, str | bytes | Mapping):
        raise ValueError("Ballots must be a sequence of ballots.")
    return list(ballots)


def _describe(option: Any) -> str:
    return repr(option)


def _first_duplicate(items: Iterable[Any]) -> Any:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _first_unknown(items: Iterable[Any], optset: set[Option]) -> Any:
    # Sorted by repr so the message does not depend on set iteration order.
    return sorted((x for x in items if x not in optset), key=repr)[0]


# ------------------------------------------------------------------------------- ballot validators


def _check_single(ballot: Any, optset: set[Option], index: int | None, allowed: str) -> None:
    try:
        known = ballot in optset
    except TypeError:  # unhashable, so certainly not an option
        raise _invalid(
            "wrong_shape", f"a ballot must be a single {allowed}, got {type(ballot).__name__}.", index
        ) from None
    if not known:
        if isinstance(ballot, _COLLECTIONS + (dict,)):
            raise _invalid("wrong_shape", f"a ballot must be a single {allowed}, got {type(ballot).__name__}.", index)
        raise _invalid("unknown_option", f"{_describe(ballot)} is not one of the options.", index)


def _check_approval(ballot: Any, optset: set[Option], index: int | None) -> set[Option] | frozenset[Option]:
    if not isinstance(ballot, _COLLECTIONS):
        raise _invalid(
            "wrong_shape", f"an approval ballot must be a list of options, got {type(ballot).__name__}.", index
        )
    try:
        approved = ballot if isinstance(ballot, set | frozenset) else set(ballot)
    except TypeError:
        raise _invalid("wrong_shape", "an approval ballot must hold options only (no nested lists).", index) from None
    if len(approved) != len(ballot):
        raise _invalid("duplicate", f"{_describe(_first_duplicate(ballot))} is approved more than once.", index)
    if not approved <= optset:
        raise _invalid(
            "unknown_option", f"{_describe(_first_unknown(approved, optset))} is not one of the options.", index
        )
    return approved


def _check_points(
    ballot: Any, optset: set[Option], index: int | None, *, high: int | None, kind: str, kinds: str
) -> Mapping[Option, int]:
    """Check a mapping option -> integer in 0..high (high None: no upper bound); `kind(s)` name the values."""
    if not isinstance(ballot, Mapping):
        raise _invalid("wrong_shape", f"a ballot must map options to {kinds}, got {type(ballot).__name__}.", index)
    for option, value in ballot.items():
        if option not in optset:
            raise _invalid("unknown_option", f"{_describe(option)} is not one of the options.", index)
        if not _is_int(value):
            raise _invalid(
                "wrong_shape", f"the {kind} for {_describe(option)} must be an integer, got {value!r}.", index
            )
        if value < 0 or (high is not None and value > high):
            bound = f"between 0 and {high}" if high is not None else "0 or more"
            raise _invalid("out_of_range", f"the {kind} for {_describe(option)} must be {bound}, got {value}.", index)
    return ballot


def _check_dot(ballot: Any, optset: set[Option], index: int | None, points: int) -> Mapping[Option, int]:
    _check_points(ballot, optset, index, high=None, kind="number of points", kinds="points")
    spent = sum(ballot.values())
    if spent > points:
        raise _invalid("over_budget", f"{spent} points are given but only {points} may be.", index)
    return ballot


def _check_schulze(ballot: Any, position: Mapping[Option, int], index: int | None) -> tuple[int, ...]:
    """Return the rank of every option (0 = best, in the order of `options`); unranked options share the last rank."""
    if not isinstance(ballot, list | tuple):
        raise _invalid("wrong_shape", f"a ranking must be a list, got {type(ballot).__name__}.", index)
    ranks: list[int | None] = [None] * len(position)
    rank = 0
    for item in ballot:
        try:
            known, hashable = item in position, True
        except TypeError:  # an unhashable item (a list) can only be a group of tied options
            known, hashable = False, False
        if known:  # checked before the group case so that a tuple can itself be an option
            group = [item]
        elif isinstance(item, _COLLECTIONS):
            group = list(item)
        elif hashable:
            raise _invalid("unknown_option", f"{_describe(item)} is not one of the options.", index)
        else:
            raise _invalid("wrong_shape", f"a rank must be an option or a list of tied options, not {item!r}.", index)
        if not group:  # an empty tie group ranks nobody; skipping it keeps later ranks contiguous
            continue
        for option in group:
            try:
                where = position.get(option)
            except TypeError:
                raise _invalid(
                    "wrong_shape", "tied options must be a flat list (groups cannot be nested).", index
                ) from None
            if where is None:
                raise _invalid("unknown_option", f"{_describe(option)} is not one of the options.", index)
            if ranks[where] is not None:
                raise _invalid("duplicate", f"{_describe(option)} is ranked more than once.", index)
            ranks[where] = rank
        rank += 1
    return tuple(rank if r is None else r for r in ranks)


def _check_score(ballot: Any, optset: set[Option], index: int | None, top: int) -> Mapping[Option, int]:
    return _check_points(ballot, optset, index, high=top, kind="score", kinds="scores")


def _check_mj(ballot: Any, optset: set[Option], index: int | None, top: int) -> Mapping[Option, int]:
    return _check_points(ballot, optset, index, high=top, kind="grade", kinds="grades")


# ------------------------------------------------------------------------------------- methods


def _tally_plurality(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    optset = set(options)
    try:
        counts: Counter[Any] | None = Counter(ballots)  # C-speed on a million ballots
    except TypeError:  # an unhashable ballot somewhere; the slow pass below finds which
        counts = None
    if counts is None or not counts.keys() <= optset:
        for i, ballot in enumerate(ballots):
            _check_single(ballot, optset, i, "option")
    if counts is None:  # pragma: no cover  (the slow pass has raised otherwise)
        raise AssertionError("ballots were not checked")
    totals = {o: counts.get(o, 0) for o in options}
    return _tiers_by_key(options, totals.__getitem__), {"counts": totals}


def _tally_approval(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    optset = set(options)
    for i, ballot in enumerate(ballots):
        # Inline fast path of _check_approval: most ballots are clean, and the full check allocates.
        if isinstance(ballot, set | frozenset):
            if ballot <= optset:
                continue
        elif isinstance(ballot, list | tuple):
            try:
                if len(ballot) == len(optset.intersection(ballot)):
                    continue
            except TypeError:
                pass
        _check_approval(ballot, optset, i)
    counts = Counter(chain.from_iterable(ballots))
    totals = {o: counts.get(o, 0) for o in options}
    return _tiers_by_key(options, totals.__getitem__), {"counts": totals}


def _tally_score(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    top = _positive_int_rule(rules, "max_score", "score")
    optset = set(options)
    totals: Counter[Option] = Counter()
    scored: Counter[Option] = Counter()
    for i, ballot in enumerate(ballots):
        _check_score(ballot, optset, i, top)
        totals.update(ballot)
        scored.update(ballot.keys())
    # Fractions, not floats: two options with equal means must compare equal whatever the summation order.
    means = {o: Fraction(totals[o], scored[o]) if scored[o] else None for o in options}

    def key(option: Option) -> tuple[int, Fraction]:
        return totals[option], means[option] or Fraction(0)

    details = {
        "max_score": top,
        "totals": {o: totals[o] for o in options},
        "scored_by": {o: scored[o] for o in options},
        "means": {o: None if m is None else float(m) for o, m in means.items()},
    }
    return _tiers_by_key(options, key), details


def _median_order(n: int) -> list[int]:
    """Positions (in the ascending sorted grades) read by removing the lower median again and again."""
    # Removing the lower median of an odd count leaves the one just below as the next lower median, then the one
    # just above, and so on outwards; for an even count it goes above first.  E.g. n=5 -> 2,1,3,0,4; n=4 -> 1,2,0,3.
    if n == 0:
        return []
    order: list[int] = []
    low = high = (n - 1) // 2
    order.append(low)
    below_first = n % 2 == 1
    while len(order) < n:
        if below_first and low > 0:
            low -= 1
            order.append(low)
        elif high < n - 1:
            high += 1
            order.append(high)
        else:
            low -= 1
            order.append(low)
        below_first = not below_first
    return order


def _tally_majority_judgment(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    grades = _grades_rule(rules)
    top = len(grades) - 1
    optset = set(options)
    distributions: dict[Option, list[int]] = {o: [0] * len(grades) for o in options}
    for i, ballot in enumerate(ballots):
        _check_mj(ballot, optset, i, top)
        for option, grade in ballot.items():
            distributions[option][grade] += 1
    n = len(ballots)
    for distribution in distributions.values():
        distribution[0] += n - sum(distribution)  # a missing grade is the lowest grade (documented in tally)

    order = _median_order(n)
    values: dict[Option, tuple[int, ...]] = {}
    for option, distribution in distributions.items():
        ascending = [g for g, c in enumerate(distribution) for _ in range(c)]
        values[option] = tuple(ascending[k] for k in order)

    results: dict[Option, dict[str, Any]] = {}
    for option in options:
        distribution = distributions[option]
        majority = values[option][0] if n else None
        results[option] = {
            "distribution": list(distribution),
            "majority_grade": majority,
            "majority_grade_name": grades[majority] if majority is not None else None,
            # the "gauge": how many grades lie above / below the majority grade, which explains close results
            "better": sum(distribution[majority + 1 :]) if majority is not None else 0,
            "worse": sum(distribution[:majority]) if majority is not None else 0,
        }
    return _tiers_by_key(options, values.__getitem__), {"grades": grades, "results": results}


def _tally_schulze(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    position = {o: i for i, o in enumerate(options)}
    n = len(options)
    # Identical rankings are merged first, so the O(n^2) pairwise update runs once per distinct ranking.
    rankings: Counter[tuple[int, ...]] = Counter(_check_schulze(b, position, i) for i, b in enumerate(ballots))
    d = [[0] * n for _ in range(n)]
    for ranks, weight in rankings.items():
        for i in range(n):
            row, ri = d[i], ranks[i]
            for j in range(n):
                if ri < ranks[j]:
                    row[j] += weight
    # Widest paths (Floyd–Warshall variant) with winning votes as link strength.
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for k in range(n):
        pk = p[k]
        for i in range(n):
            if i == k:
                continue
            pik = p[i][k]
            if not pik:
                continue
            pi = p[i]
            for j in range(n):
                if j != i and j != k:
                    via = pik if pik < pk[j] else pk[j]
                    if via > pi[j]:
                        pi[j] = via
    # The Schulze relation (p[i][j] > p[j][i]) is transitive, so some remaining option is always unbeaten; peeling
    # the unbeaten ones off tier by tier turns the partial order into a weak order.
    remaining = list(range(n))
    tiers: list[list[Option]] = []
    while remaining:
        tier = [i for i in remaining if not any(p[j][i] > p[i][j] for j in remaining)]
        if not tier:  # cannot happen (transitivity); kept so a bug could never loop forever
            tier = remaining
        tiers.append([options[i] for i in tier])
        remaining = [i for i in remaining if i not in tier]
    return tiers, {"options": list(options), "pairwise": d, "strongest_paths": p}


def _motion_rules(rules: Rules) -> tuple[str, Any, int | None]:
    majority = rules.get("majority") or "simple"
    if majority not in MAJORITIES:
        raise _rule_error(
            "invalid_rule", f"The rule 'majority' must be one of {', '.join(MAJORITIES)}, got {majority!r}."
        )
    electorate = rules.get("electorate")
    if electorate is not None and (not _is_int(electorate) or electorate < 0):
        raise _rule_error("invalid_rule", f"The rule 'electorate' must be a non-negative integer, got {electorate!r}.")
    quorum = rules.get("quorum")
    if quorum is not None:
        if _is_int(quorum):
            if quorum < 0:
                raise _rule_error("invalid_rule", f"An integer quorum is a minimum number of ballots, got {quorum}.")
        elif isinstance(quorum, float):
            if not 0 < quorum <= 1:
                raise _rule_error("invalid_rule", f"A fractional quorum must be in (0, 1], got {quorum!r}.")
            if electorate is None:
                raise _rule_error("missing_rule", "A fractional quorum needs the rule 'electorate'.")
        else:
            raise _rule_error(
                "invalid_rule",
                f"The rule 'quorum' must be an int (ballots) or a float (share of the electorate), got {quorum!r}.",
            )
    return majority, quorum, electorate


def _quorum_required(quorum: Any, electorate: int | None) -> int:
    if quorum is None:
        return 0
    if _is_int(quorum):
        return quorum
    # Fraction(str(0.1)) is exactly 1/10, whereas 0.1 * 30 in floats is 3.0000000000000004 and would need 4.
    return math.ceil(Fraction(str(quorum)) * (electorate or 0))


def _tally_motion(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    majority, quorum, electorate = _motion_rules(rules)
    optset = set(options)
    try:
        counter: Counter[Any] | None = Counter(ballots)
    except TypeError:
        counter = None
    if counter is None or not counter.keys() <= optset:
        for i, ballot in enumerate(ballots):
            _check_single(ballot, optset, i, '"yes", "no" or "abstain"')
    if counter is None:  # pragma: no cover  (the slow pass has raised otherwise)
        raise AssertionError("ballots were not checked")
    counts = {o: counter.get(o, 0) for o in options}
    yes, no, cast = counter.get("yes", 0), counter.get("no", 0), len(ballots)
    required = _quorum_required(quorum, electorate)
    quorum_reached = cast >= required

    # `threshold` is the least number of "yes" that adopts the motion, given the other ballots as they are.
    if majority == "simple":
        threshold = no + 1
    elif majority == "absolute":
        threshold = cast // 2 + 1  # yes > cast / 2, abstentions included in `cast`
    else:
        threshold = max(2 * no, 1)  # yes >= 2/3 (yes + no)  <=>  yes >= 2 no; and an all-abstain vote adopts nothing
    majority_reached = yes >= threshold

    if cast == 0:
        reason = "no_ballots"
    elif not quorum_reached:
        reason = "quorum_not_reached"
    elif not majority_reached:
        reason = "majority_not_reached"
    else:
        reason = "adopted"
    details = {
        "counts": counts,
        "electorate": electorate,
        "quorum": quorum,
        "quorum_required": required,
        "quorum_reached": quorum_reached,
        "majority": majority,
        "threshold": threshold,
        "adopted": reason == "adopted",
        "reason": reason,
    }
    return _tiers_by_key(options, counts.__getitem__), details


def _tally_dot(options: list[Option], ballots: Sequence[Any], rules: Rules) -> Counted:
    points = _positive_int_rule(rules, "points", "dot")
    optset = set(options)
    totals: Counter[Option] = Counter()
    supporters: Counter[Option] = Counter()
    for i, ballot in enumerate(ballots):
        _check_dot(ballot, optset, i, points)
        totals.update(ballot)
        supporters.update(o for o, v in ballot.items() if v > 0)
    details = {
        "points": points,
        "totals": {o: totals[o] for o in options},
        "supporters": {o: supporters[o] for o in options},
    }
    return _tiers_by_key(options, lambda o: totals[o]), details


_TALLIES: dict[str, Callable[[list[Option], Sequence[Any], Rules], Counted]] = {
    "plurality": _tally_plurality,
    "approval": _tally_approval,
    "score": _tally_score,
    "majority_judgment": _tally_majority_judgment,
    "schulze": _tally_schulze,
    "motion": _tally_motion,
    "dot": _tally_dot,
}


# ---------------------------------------------------------------------------------- tie-breaking


def _tie_break_rules(rules: Rules) -> Any:
    """Return the seed when ties are to be broken by lot, None when ties stay."""
    tie_break = rules.get("tie_break")
    if tie_break is None:
        return None
    if tie_break != "lot":
        raise _rule_error("invalid_rule", f"The rule 'tie_break' must be 'lot' or absent, got {tie_break!r}.")
    seed = _require(rules, "seed", "lot tie-break")
    if not (_is_int(seed) or isinstance(seed, str)):
        raise _rule_error("invalid_rule", f"The tie-break seed must be an int or a string, got {seed!r}.")
    return seed


def _break_ties(ranking: list[list[Option]], seed: int | str) -> tuple[list[list[Option]], dict[str, Any]]:
    # One generator for the whole ranking, consumed tier by tier from the best, so a given seed and ranking always
    # give the same draw (random.Random seeds str deterministically, independently of PYTHONHASHSEED).
    rng = random.Random(seed)  # noqa: S311  # nosec B311 (a public, reproducible draw, not a secret)
    broken: list[list[Option]] = []
    tied: list[list[Option]] = []
    for tier in ranking:
        if len(tier) > 1:
            tied.append(list(tier))
            shuffled = list(tier)
            rng.shuffle(shuffled)
            broken.extend([o] for o in shuffled)
        else:
            broken.append(list(tier))
    record = {"method": "lot", "seed": seed, "order": [t[0] for t in broken], "tied": tied}
    return broken, record


# ----------------------------------------------------------------------------------------- API


def _check_method(method: str) -> None:
    if method not in _TALLIES:
        raise ValueError(f"Unknown voting method {method!r}; expected one of {', '.join(METHODS)}.")


def validate_ballot(method: str, options: Sequence[Option] | None, ballot: Any, **rules: Any) -> None:
    """Raise InvalidBallot (index None) if `ballot` cannot be counted by `method` with these options and rules."""
    _check_method(method)
    opts = _check_options(method, options)
    optset = set(opts)
    if method != "motion":  # rules first, so a bad rule is reported as such whatever the ballot
        _tie_break_rules(rules)
    if method == "plurality":
        _check_single(ballot, optset, None, "option")
    elif method == "approval":
        _check_approval(ballot, optset, None)
    elif method == "score":
        _check_score(ballot, optset, None, _positive_int_rule(rules, "max_score", "score"))
    elif method == "majority_judgment":
        _check_mj(ballot, optset, None, len(_grades_rule(rules)) - 1)
    elif method == "schulze":
        _check_schulze(ballot, {o: i for i, o in enumerate(opts)}, None)
    elif method == "motion":
        _motion_rules(rules)
        _check_single(ballot, optset, None, '"yes", "no" or "abstain"')
    else:
        _check_dot(ballot, optset, None, _positive_int_rule(rules, "points", "dot"))


def tally(method: str, options: Sequence[Option] | None = None, ballots: Iterable[Any] = (), **rules: Any) -> Result:
    """Count `ballots` over `options` with `method` and return the ranking, winners and figures.

    Rules by method: score needs ``max_score``; majority_judgment needs ``grades`` (names, worst first; an option
    missing from a ballot gets grade 0, the worst); dot needs ``points``; motion takes ``majority`` ("simple" by
    default), ``quorum`` (an int: minimum number of ballots; a float in (0, 1]: minimum share of
    ``electorate`` that must vote) and ``electorate``.  Every method except motion takes ``tie_break="lot"`` with a
    ``seed`` to split tied tiers by a reproducible draw.  With no ballots all options share one tier and nobody wins.
    """
    _check_method(method)
    opts = _check_options(method, options)
    seed = _tie_break_rules(rules) if method != "motion" else None
    cast = _materialise(ballots)
    ranking, details = _TALLIES[method](opts, cast, rules)
    details = {"ballots": len(cast), **details, "tie_break": None}
    if not cast:
        # Nobody expressed anything: no order, no winner (and nothing to draw lots about).
        ranking = [list(opts)] if opts else []
        return Result(method, ranking, [], details)
    if seed is not None:
        # Recorded even when nothing was tied, so a results page can show that a draw was set up and not needed.
        ranking, details["tie_break"] = _break_ties(ranking, seed)
    if method == "motion":
        winners = ["yes"] if details["adopted"] else []
    else:
        winners = list(ranking[0]) if ranking else []
    return Result(method, ranking, winners, details)
