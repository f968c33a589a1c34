"""The request class: submitted text without NUL characters, which PostgreSQL cannot store."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict


def _without_nul(pairs: ImmutableMultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        [(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in pairs.items(multi=True)]
    )


class CleanRequest(Request):
    """Drops NUL from form fields and query parameters before any view or form reads them.

    A NUL byte is invisible and meaningless in people's text, but PostgreSQL refuses it in text
    columns and in query parameters; keeping it would turn a stray character into an error page."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any("\x00" in key or "\x00" in value for key, value in form.items(multi=True)):
            self.__dict__["form"] = _without_nul(form)

    @property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        cached = self.__dict__.get("_clean_args")
        if cached is None:
            raw = Request.args.__get__(self, type(self))
            cached = _without_nul(raw) if any("\x00" in k or "\x00" in v for k, v in raw.items(multi=True)) else raw
            self.__dict__["_clean_args"] = cached
        return cached
