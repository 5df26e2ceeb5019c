"""What else a check-in answer changes, part by part, and the one statement that does it all.

``services.record_answer`` is the one function that records an answer. Besides the answer
itself and the request's status (this app's own tables), an answer changes rows that other
apps own: its audit entry (``core``), the campaign message's delivery, now "answered"
(``messaging``); an answer from the app is also found by its device (``nationals``). Each of
those apps supplies its part as functions written against its own models, and ``CrisesConfig``
registers them here; this module knows none of their tables.

A part does its work in two ways, held equal by one test (``tests/test_answer_paths.py``):

- ``orm(answered)``: through Django, after the answer is saved (``None`` when a signal does it
  already, as the audit log's does for every ``Audited`` model);
- ``statement(ctx)``: the body of one data-modifying clause of the single PostgreSQL statement
  the check-in fast lane runs (``WITH ... INSERT ... UPDATE ...``, one round trip, one commit),
  built from the models' ``_meta`` table and column names, its values passed through
  ``ctx.param``.

The finder of a device by its token works the same way: ``orm(token)`` gives the device (or
None) and ``statement(ctx)`` the body of the ``device`` clause, whose live registration the rest
of the statement answers for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_parts = {}
_finders = {}


@dataclass(frozen=True)
class Part:
    """One app's share of what an answer changes (see the module's docstring)."""

    name: str
    statement: Callable[["Context"], str]
    orm: Callable[["Answered"], Any] | None = None


@dataclass(frozen=True)
class Finder:
    """Who answers, found by a credential (a device's token): ``orm(credential)`` returns an object
    with ``registration_id`` or None; ``statement(ctx)`` the SQL that selects ``columns`` of it,
    whose ``registration`` column is the person, NULL when the credential is nobody's
    (``from_row`` turns a row of ``columns`` back into the object, None for nobody)."""

    name: str
    orm: Callable[[str], Any]
    statement: Callable[["Context"], str]
    columns: int  # how many of the statement's first columns ``from_row`` reads
    from_row: Callable[[tuple], Any]
    prepare: Callable[[str], Any]  # the credential as the statement takes it (None: cannot be one)


def register(part):
    """Add (or replace, by name) one part of what an answer changes."""
    _parts[part.name] = part


def register_finder(finder):
    _finders[finder.name] = finder


def parts():
    return list(_parts.values())


def finder(name):
    return _finders[name]


@dataclass(frozen=True)
class Answered:
    """A saved answer, for the parts' ``orm``: the same names as ``Context`` has in SQL."""

    answer_id: int
    registration_id: int
    request_id: int
    send_id: int | None
    at: Any


class Context:
    """What a part's ``statement`` may use, as SQL over the inserted answers (``FROM {rows}``):
    ``answer_id`` (also as ``object_id``), ``registration_id``, ``request_id`` and ``repr``
    (columns and expressions of a row), ``send_id`` and ``at`` (one value for the statement);
    ``object_type`` and ``fields`` (what the audit log records of a new answer) are plain values,
    and so is ``credential`` for a finder. ``param(value)`` adds a value
    and returns its placeholder."""

    def __init__(self, **names):
        self.params = {}
        self.__dict__.update(names)

    def param(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"
