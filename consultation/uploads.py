"""Files people attach (to a proposal, to an application to a call): recognised by their first
bytes (never by their name or declared type), kept under the instance folder with a random name,
removed once the transaction that dropped them commits."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from consultation.errors import Conflict
from consultation.extensions import db

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp|pdf)$")
_WRITTEN_KEY = "uploads_written"
_DROPPED_KEY = "uploads_dropped"
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf"}


def sniff(head: bytes) -> str | None:
    """The type of a file from its signature (magic bytes), or None for anything else.

    >>> sniff(b"%PDF-1.7 ...")
    'application/pdf'
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True)
class Upload:
    """A file sent with a form, read and recognised, not stored yet."""

    data: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.data)


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def read_upload(stream: IO[bytes], *, limit: int) -> Upload:
    """Read at most `limit` bytes (one more tells it is too large) and recognise the content."""
    data = stream.read(limit + 1)
    if not data:
        raise Conflict(_l("The file is empty."))
    if len(data) > limit:
        size = format_decimal(limit / (1024 * 1024), format="#,##0.#")
        raise Conflict(_l("The file is too large: send at most %(size)s MB.", size=size))
    content_type = sniff(data[:16])
    if content_type is None:
        raise Conflict(_l("Attach an image (PNG, JPEG or WebP) or a PDF document: this file is neither."))
    return Upload(data, content_type)


def _directory() -> Path:
    path = Path(current_app.config.get("UPLOADS_DIR") or Path(current_app.instance_path) / "uploads") / "proposals"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name: str) -> Path:
    """The file of a stored name; the name is checked so that it can never lead out of the folder."""
    if not _NAME.match(stored_name):
        raise ValueError("not a stored attachment name")
    return _directory() / stored_name


def store(upload: Upload) -> str:
    """Write the file under a random name; it is removed again if the transaction rolls back."""
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[upload.content_type]}"
    path = path_of(name)
    with open(path, "xb") as file:
        file.write(upload.data)
    db.session.info.setdefault(_WRITTEN_KEY, []).append(path)
    return name


def drop_after_commit(stored_name: str) -> None:
    """Remove the file once the transaction that stopped using it commits (never before: a rollback keeps it)."""
    db.session.info.setdefault(_DROPPED_KEY, []).append(path_of(stored_name))


def _remove(paths) -> None:
    for path in paths or ():
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not remove %s", path)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_WRITTEN_KEY, None)
    _remove(session.info.pop(_DROPPED_KEY, None))


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return
    session.info.pop(_DROPPED_KEY, None)
    _remove(session.info.pop(_WRITTEN_KEY, None))


if not event.contains(Session, "after_commit", _after_commit):
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
