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
- ``statement(ctx)`` and ``values(ctx)``: the body of one data-modifying clause of the single
  PostgreSQL statement the check-in fast lane runs (``WITH ... INSERT ... UPDATE ...``, one round
  trip, one commit), built from the models' ``_meta`` table and column names, with placeholders
  from ``ctx.param(name)``; and the values of those placeholders, for this answer. The statement's
  text is built once per shape and kept (a surge runs it thousands of times a second, prepared);
  the values are taken afresh for every answer.

The finder of a device by its token works the same way: ``orm(token)`` gives the device (or
None), ``statement(ctx)`` the body of the ``device`` clause, whose ``registration`` column is the
live registration the rest of the statement answers for, and ``values(credential)`` its values.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_parts = {}
_finders = {}
_statements = {}


@dataclass(frozen=True)
class Part:
    """One app's share of what an answer changes (see the module's docstring)."""

    name: str
    statement: Callable[["Context"], str]
    values: Callable[["Context"], dict]
    orm: Callable[["Answered"], Any] | None = None


@dataclass(frozen=True)
class Finder:
    """Who answers, found by a credential (a device's token): ``orm(credential)`` returns an object
    with ``registration_id`` or None; ``statement(ctx)`` the SQL that selects ``columns`` columns
    of it and ``registration``, the person (NULL when the credential is nobody's); ``from_row``
    turns those first columns back into the object (None for nobody); ``prepare`` turns the
    credential into what the statement compares (None: it cannot be one), and ``values`` that
    into the statement's values."""

    name: str
    orm: Callable[[str], Any]
    statement: Callable[["Context"], str]
    values: Callable[[Any], dict]
    columns: int
    from_row: Callable[[tuple], Any]
    prepare: Callable[[str], Any]


def register(part):
    """Add (or replace, by name) one part of what an answer changes."""
    _parts[part.name] = part
    _statements.clear()


def register_finder(finder):
    _finders[finder.name] = finder
    _statements.clear()


def parts():
    return list(_parts.values())


def finder(name):
    return _finders[name]


def statement(shape, build):
    """The statement's text for ``shape``, built by ``build()`` the first time."""
    text = _statements.get(shape)
    if text is None:
        text = _statements[shape] = build()
    return text


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
    ``object_type`` and ``fields`` (what the audit log records of a new answer) are plain values.
    ``param(name)`` is the placeholder of the value ``values`` gives under ``name``, kept apart
    from other parts' by the part's name."""

    def __init__(self, prefix="", **names):
        self.prefix, self.names = prefix, names
        self.__dict__.update(names)

    def param(self, name):
        return f"%({self.prefix}{name})s"

    def for_part(self, name):
        return Context(f"{name}_", **self.names)
