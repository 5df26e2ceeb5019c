"""Answers collected with the community profiling XLSForm (KoboToolbox, ODK, Ona) back into profiles.

An export of answers has one column per question, named by the question's name
(possibly after its groups: ``who/name``), multiple choices separated by
spaces, and metadata columns (``_uuid``, ``_submission_time``, ``start``...).
It is turned into the standard communities table and imported through the same
all-or-nothing path as any other file.
"""

import datetime
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from lifeline.communities.tabular import CommunitySchema
from lifeline.communities.xlsform import space_separated_columns
from lifeline.core.tabular import (
    MULTI_SEPARATOR,
    Report,
    RowError,
    TableError,
    import_table,
    read_table,
    write_table,
)

METADATA_MARKERS = ("_uuid", "_submission_time")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_kobo(header):
    return any(name in METADATA_MARKERS or "/" in name for name in header)


def _cell(value, space_separated):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if space_separated:
        return f"{MULTI_SEPARATOR} ".join(v for v in re.split(r"[\s,;]+", str(value)) if v)
    return value


def kobo_table(data, filename, detect=False):
    """The export as the standard communities table (XLSX bytes); with ``detect``, None unless it is one.

    Columns are matched by the last part of their name; metadata and any other
    column that is not a profile column are dropped. Raises TableError.
    """
    header, hxl, body = read_table(data, filename)
    if detect and not is_kobo(header):
        return None
    wanted, multi = {c.name for c in CommunitySchema.columns}, space_separated_columns()
    keep = {}
    for index, title in enumerate(header):
        name = title.rsplit("/", 1)[-1]
        if name in wanted and name not in keep.values():
            keep[index] = name
    rows = [list(keep.values())]
    if hxl:  # keep the hashtag row, so that row numbers in errors are those of the file
        rows.append([hxl[i] if i < len(hxl) else "" for i in keep])
    rows.extend(
        [_cell(cells[i] if i < len(cells) else None, name in multi) for i, name in keep.items()]
        for _number, cells in body
    )
    return write_table(rows, "xlsx", sheet=CommunitySchema.key)


def kobo_upload(upload):
    """An uploaded Kobo/ODK export as an upload of the standard table; any other upload as it was."""
    data = upload.read()
    upload.seek(0)
    try:
        table = kobo_table(data, upload.name, detect=True)
    except TableError:
        table = None
    if table is None:
        return upload
    return SimpleUploadedFile(f"{Path(upload.name).stem}.xlsx", table, content_type=XLSX)


def import_answers(data, filename, organisation, user=None, dry_run=False):
    """Import an export of answers into the organisation's profiles: all rows or none. Returns a Report."""
    try:
        table = kobo_table(data, filename)
    except TableError as exc:
        return Report(dry_run=dry_run, errors=[RowError(row=1, column="", message=str(exc))])
    schema = CommunitySchema(organisation, version_note=_("Imported from a Kobo/ODK form"))
    return import_table(schema, table, "answers.xlsx", organisation, user=user, dry_run=dry_run)
