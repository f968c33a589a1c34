"""The audit log's hash chain: any change, removal or reordering is found."""

from dataclasses import replace

from consultation.audit.chain import GENESIS, Link, entry_hash, problems


def chain(count: int) -> list[Link]:
    links, previous = [], GENESIS
    for number in range(1, count + 1):
        at = f"2026-11-28T10:{number:02d}:00+00:00"
        details = {"vote": number}
        digest = entry_hash(previous, at, 7, "vote.closed", details)
        links.append(Link(number, at, 7, "vote.closed", details, previous, digest))
        previous = digest
    return links


def test_an_intact_chain_has_no_problem():
    assert problems(chain(5)) == []


def test_a_changed_entry_is_found():
    links = chain(5)
    links[2] = replace(links[2], details={"vote": 99})
    assert problems(links) == ["entry 3: its content was changed after it was written"]


def test_a_removed_entry_is_found():
    links = chain(5)
    del links[1]
    assert problems(links) == ["entry 3: does not follow the entry before it (removed or reordered entries)"]


def test_reordered_entries_are_found():
    links = chain(4)
    links[1], links[2] = links[2], links[1]
    assert len(problems(links)) == 3


def test_hash_depends_on_every_field():
    base = entry_hash(GENESIS, "t", 1, "a", {"x": 1})
    assert (
        len(
            {
                base,
                entry_hash(GENESIS, "t", 2, "a", {"x": 1}),
                entry_hash(GENESIS, "t", 1, "b", {"x": 1}),
                entry_hash(GENESIS, "u", 1, "a", {"x": 1}),
                entry_hash(GENESIS, "t", 1, "a", {"x": 2}),
            }
        )
        == 5
    )
