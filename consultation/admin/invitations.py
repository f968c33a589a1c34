"""Invite a council's members from a CSV file (columns email, display_name, role, and optionally
language): every line is checked first, and the file is imported whole or not at all.

Used by `flask members import FILE.csv --council SLUG [--dry-run]` and by the council's members page.
New accounts get an unusable random password: the person chooses one with "Forgot your password?"."""

from __future__ import annotations

import csv
import io
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council, Membership
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.permissions import Role

REQUIRED_COLUMNS = ("email", "display_name", "role")
OPTIONAL_COLUMNS = ("language",)
MAX_LINES = 5000
MAX_BYTES = 2 * 1024 * 1024
NAME_MAX = 80  # users.display_name
EMAIL_MAX = 254


@dataclass(frozen=True)
class Invitation:
    line: int
    email: str
    display_name: str
    role: Role
    language: str | None = None


@dataclass(frozen=True)
class Rejection:
    line: int  # 0: the file as a whole
    value: str
    reason: Any  # a lazy string, in the reader's language when shown


@dataclass
class CheckedFile:
    invitations: list[Invitation] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.rejections and bool(self.invitations)


@dataclass(frozen=True)
class ImportSummary:
    lines: int
    accounts_created: int
    memberships_added: int
    already_members: int
    new_accounts: tuple[str, ...]


def _column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _delimiter(header: str) -> str:
    # French spreadsheets write ";" (the comma is their decimal mark); some tools write tabs.
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _language(value: str) -> str | None:
    code = value.strip().replace("-", "_")
    for known in LANGUAGES:
        if known.lower() == code.lower():
            return known
    return None


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(character) in ("Cc", "Cf") for character in text)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def check_file(
    data: bytes, *, may_assign: Callable[[Role], bool] = lambda role: True, max_lines: int = MAX_LINES
) -> CheckedFile:
    """Read and check every line; nothing is written. `may_assign` says which roles the person importing may give."""
    checked = CheckedFile()
    reject = checked.rejections.append
    if len(data) > MAX_BYTES:
        reject(Rejection(0, "", _l("The file is larger than %(size)d MB.", size=MAX_BYTES // (1024 * 1024))))
        return checked
    text = _decode(data)
    if text is None:
        reject(Rejection(0, "", _l("The file is not UTF-8 text: save it again as “CSV UTF-8”.")))
        return checked
    if "\x00" in text:
        reject(Rejection(0, "", _l("The file holds binary data: it is not a CSV file.")))
        return checked
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        reject(Rejection(1, "", _l("The first line must name the columns: email, display_name, role (and language).")))
        return checked
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    try:
        header = [_column(name) for name in next(reader)]
    except csv.Error as error:
        reject(Rejection(1, lines[0][:200], _l("This line cannot be read as CSV: %(error)s", error=str(error))))
        return checked
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        reject(
            Rejection(
                1, lines[0][:200], _l("The first line must name the columns: email, display_name, role (and language).")
            )
        )
        return checked
    seen: dict[tuple[str, Role], int] = {}
    rows = 0
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # an empty line, often the last one
            rows += 1
            if rows > max_lines:
                reject(Rejection(line, "", _l("A file holds at most %(max)d members: split it.", max=max_lines)))
                break
            invitation = _check_line(line, header, values, reject, may_assign)
            if invitation is None:
                continue
            first = seen.get((invitation.email, invitation.role))
            if first is not None:
                reject(
                    Rejection(line, invitation.email, _l("Same email address and role as line %(line)d.", line=first))
                )
                continue
            seen[(invitation.email, invitation.role)] = line
            checked.invitations.append(invitation)
    except csv.Error as error:
        reject(Rejection(reader.line_num, "", _l("This line cannot be read as CSV: %(error)s", error=str(error))))
    if not rows and not checked.rejections:
        reject(Rejection(0, "", _l("The file holds no member: add one line per person under the column names.")))
    if checked.invitations and not checked.rejections:
        _check_accounts(checked)
    return checked


def _check_line(
    line: int, header: list[str], values: list[str], reject: Callable[[Rejection], None], may_assign
) -> Invitation | None:
    if len(values) != len(header):
        reject(
            Rejection(
                line,
                ",".join(values)[:200],
                _l(
                    "This line has %(found)d values; the first line names %(expected)d columns.",
                    found=len(values),
                    expected=len(header),
                ),
            )
        )
        return None
    row = {name: value.strip() for name, value in zip(header, values, strict=True)}
    problems = 0
    email = row["email"]
    try:
        if not email:
            raise EmailNotValidError("empty")
        if len(email) > EMAIL_MAX:
            raise EmailNotValidError("too long")
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        reject(Rejection(line, row["email"], _l("This is not a valid email address.")))
        problems += 1
    name = " ".join(row["display_name"].split())
    if not name:
        reject(Rejection(line, row["display_name"], _l("The name is missing.")))
        problems += 1
    elif len(name) > NAME_MAX:
        reject(Rejection(line, name, _l("The name is longer than %(max)d characters.", max=NAME_MAX)))
        problems += 1
    elif _has_control_characters(name):
        reject(Rejection(line, name, _l("The name holds invisible control characters.")))
        problems += 1
    role_text = row["role"].lower()
    role = Role(role_text) if role_text in {r.value for r in Role} else None
    if role is None:
        reject(
            Rejection(
                line, row["role"], _l("Unknown role: use one of %(roles)s.", roles=", ".join(r.value for r in Role))
            )
        )
        problems += 1
    elif not may_assign(role):
        reject(Rejection(line, row["role"], _l("You may not give this role.")))
        problems += 1
    language = None
    if row.get("language"):
        language = _language(row["language"])
        if language is None:
            reject(
                Rejection(
                    line,
                    row["language"],
                    _l("Unknown language: use one of %(languages)s.", languages=", ".join(LANGUAGES)),
                )
            )
            problems += 1
    if problems or role is None:
        return None
    return Invitation(line, email, name, role, language)


def _check_accounts(checked: CheckedFile) -> None:
    """Lines that name an existing account that may not be given a role (blocked, closed)."""
    emails = sorted({invitation.email for invitation in checked.invitations})
    users = {
        user.email: user
        for start in range(0, len(emails), 500)
        for user in db.session.scalars(select(User).where(User.email.in_(emails[start : start + 500])))
    }
    for invitation in checked.invitations:
        user = users.get(invitation.email)
        if user is not None and user.blocked_at is not None:
            checked.rejections.append(
                Rejection(invitation.line, invitation.email, _l("The account of this address is blocked."))
            )
        elif user is not None and not user.is_active_account:
            checked.rejections.append(
                Rejection(invitation.line, invitation.email, _l("The account of this address is closed."))
            )


def _unusable_password_hash() -> str:
    # A random secret nobody knows, hashed cheaply: with 256 bits of randomness, no work factor is
    # needed, and a big file imports in seconds. The person sets a real password through a reset link.
    return generate_password_hash(secrets.token_urlsafe(32), method="pbkdf2:sha256:1")


def import_invitations(
    invitations: list[Invitation],
    council: Council,
    *,
    actor_id: int | None,
    now: datetime,
    progress: Callable[[Iterable[Invitation]], Iterator[Invitation]] = iter,
) -> ImportSummary:
    """Create the missing accounts and memberships of checked lines; flushes, never commits (the caller
    commits once, or rolls back: nothing is ever half imported)."""
    emails = sorted({invitation.email for invitation in invitations})
    users = {
        user.email: user
        for start in range(0, len(emails), 500)
        for user in db.session.scalars(select(User).where(User.email.in_(emails[start : start + 500])))
    }
    held = set(
        db.session.execute(select(Membership.user_id, Membership.role).where(Membership.council_id == council.id)).all()
    )
    created: list[str] = []
    added = already = 0
    new_users: list[User] = []
    grants: list[tuple[User, Role]] = []
    for invitation in progress(invitations):
        user = users.get(invitation.email)
        if user is None:
            user = User(
                email=invitation.email,
                display_name=invitation.display_name,
                locale=invitation.language,
                password_hash=_unusable_password_hash(),
                created_at=now,
            )
            users[invitation.email] = user
            new_users.append(user)
            created.append(user.email)
        key = (user.id, invitation.role.value) if user.id is not None else (id(user), invitation.role.value)
        if key in held:
            already += 1
            continue
        held.add(key)
        grants.append((user, invitation.role))
        added += 1
    # A few statements for the whole file, not a few per line: 5,000 lines take a second or two.
    db.session.add_all(new_users)
    db.session.flush()
    db.session.add_all(
        Membership(user_id=user.id, council_id=council.id, role=role.value, created_at=now) for user, role in grants
    )
    audit.record_many(
        [("account.invited", {"user": user.id, "council": council.id}) for user in new_users]
        + [
            ("role.granted", {"user": user.id, "council": council.id, "role": role.value, "by": "import"})
            for user, role in grants
        ],
        actor_id=actor_id,
        now=now,
    )
    db.session.flush()
    return ImportSummary(len(invitations), len(created), added, already, tuple(created))
