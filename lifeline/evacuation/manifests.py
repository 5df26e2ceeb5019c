"""Manifests of an assembly point or a transport, as CSV, XLSX or PDF.

One function (``build``) decides what a manifest holds and in which order:
unaccompanied minors first, in a section of their own; then households, each
registrant followed by their household members. The writers (CSV, XLSX, PDF and
the printable page) only lay the same rows out. Names, dates of birth, sex,
document numbers, needs and phone numbers (what borders and carriers ask for)
are shown as the registrations' and household members' disclosure policies allow
(nationals/disclosure.py), masked otherwise; nationality (by name) is not personal
there. Every download is audited by the view that serves it. The PDF and the
printed page end with a sign-off line for the consular officer and the carrier.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lifeline.core import disclosure
from lifeline.core.disclosure import MASK
from lifeline.core.models import Branding
from lifeline.core.names import country_name
from lifeline.core.tabular import CONTENT_TYPES, write_table
from lifeline.evacuation.models import EvacueeStatus
from lifeline.nationals.models import HouseholdMember, SpecialNeed

# The personal fields a manifest shows (for the audit entry).
FIELDS = ("given_names", "family_name", "date_of_birth", "sex", "document_number", "special_needs", "phone")
FORMATS = {**CONTENT_TYPES, "pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass
class Row:
    household: int
    name: str
    relation: str
    age: int | None
    born: str
    sex: str
    nationality: str
    document_number: str
    unaccompanied: bool
    needs: str
    document: str
    phone: str
    seat: str
    status: str
    number: int = 0

    @property
    def minor(self):
        return self.age is not None and self.age < 18


@dataclass
class Manifest:
    title: str
    subtitle: str
    unaccompanied: list = field(default_factory=list)
    households: list = field(default_factory=list)  # lists of rows, registrant first

    @property
    def rows(self):
        """(section label, row) in the order they are printed."""
        for row in self.unaccompanied:
            yield _("Unaccompanied minors"), row
        for household in self.households:
            for row in household:
                yield _("Household #%(id)s") % {"id": household[0].household}, row

    @property
    def people(self):
        return len(self.unaccompanied) + sum(len(h) for h in self.households)


def _needs(values):
    labels = dict(SpecialNeed.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])


def _date(day):
    return day.isoformat() if day else ""  # as travel documents and airlines write it


def _country(country):
    return country_name(country.code) if country is not None else ""


def _shown(see, obj, name, value):
    """``value`` (a rendering of ``obj.name``) if the user may see that field, else MASK or empty."""
    if see.may(name):
        return value
    return MASK if value not in (None, "") else value


def build(evacuees, title, subtitle, see):
    """The manifest of these evacuee rows (those who declined are left out), as ``see`` (the
    registrations' disclosure to the user) allows."""
    member_see = disclosure.to(see.user, HouseholdMember)
    evacuees = (
        evacuees.exclude(status=EvacueeStatus.DECLINED)
        .select_related("registration", "registration__nationality")
        .prefetch_related(
            Prefetch(
                "registration__members",
                queryset=HouseholdMember.objects.select_related("nationality").order_by("id"),
            )
        )
        .order_by("registration__family_name", "registration__given_names", "registration_id")
    )
    manifest = Manifest(title=title, subtitle=subtitle)
    for evacuee in evacuees:
        registration = evacuee.registration
        members = list(registration.members.all())
        adults = [m for m in members if m.age is not None and m.age >= 18]
        phone = _shown(see, registration, "phone", registration.phone)
        status = evacuee.get_status_display()
        head = Row(
            household=registration.pk,
            name=_shown(see, registration, "full_name", registration.full_name),
            relation=_("Registered person"),
            age=registration.age if see.may("age") else None,
            born=_shown(see, registration, "date_of_birth", _date(registration.date_of_birth)),
            sex=_shown(see, registration, "sex_label", registration.sex_label),
            nationality=_country(registration.nationality),
            document_number=_shown(see, registration, "document_number", registration.document_number),
            unaccompanied=registration.age is not None and registration.age < 18 and not adults,
            needs=_shown(see, registration, "special_needs", _needs(registration.special_needs)),
            document=registration.get_document_status_display(),
            phone=phone,
            seat=evacuee.seat,
            status=status,
        )
        household = []
        for row in [head] + [
            Row(
                household=registration.pk,
                name=_shown(member_see, m, "name", m.name),
                relation=m.get_relation_display(),
                age=m.age if member_see.may("age") else None,
                born=_shown(member_see, m, "date_of_birth", _date(m.date_of_birth)),
                sex=_shown(member_see, m, "sex_label", m.sex_label),
                nationality=_country(m.nationality),
                document_number=_shown(member_see, m, "document_number", m.document_number),
                unaccompanied=m.unaccompanied and m.is_child,
                needs=_shown(member_see, m, "special_needs", _needs(m.special_needs)),
                document=m.get_document_status_display(),
                phone="",
                seat=evacuee.seat,
                status=status,
            )
            for m in members
        ]:
            (manifest.unaccompanied if row.unaccompanied else household).append(row)
        if household:
            manifest.households.append(household)
    for number, (_section, row) in enumerate(manifest.rows, start=1):
        row.number = number
    return manifest


def header():
    return [
        _("No."),
        _("Section"),
        _("Household"),
        _("Name"),
        _("Relation"),
        _("Date of birth"),
        _("Age"),
        _("Sex"),
        _("Nationality"),
        _("Document number"),
        pgettext("person under 18", "Minor"),
        _("Unaccompanied"),
        _("Special needs"),
        _("Document status"),
        _("Phone"),
        _("Seat"),
        _("Status"),
        _("Signature at boarding"),
    ]


def _cells(section, row):
    yes = _("yes")
    return [
        row.number,
        section,
        f"#{row.household}",
        row.name,
        row.relation,
        row.born,
        "" if row.age is None else row.age,
        row.sex,
        row.nationality,
        row.document_number,
        yes if row.minor else "",
        yes if row.unaccompanied else "",
        row.needs,
        row.document,
        row.phone,
        row.seat,
        row.status,
        "",
    ]


def _table(manifest):
    yield header()
    for section, row in manifest.rows:
        yield _cells(section, row)


def to_csv(manifest):
    return write_table(_table(manifest), "csv")


def to_xlsx(manifest):
    return write_table(
        _table(manifest),
        "xlsx",
        sheet=_("Manifest"),
        title=manifest.title,
        preamble=[[manifest.title], [manifest.subtitle]],
        bold_header=True,
    )


def printable(manifest, rtl=False, page=False, nonce=""):
    """The manifest as an HTML page to print (``page``, its styles under the request's CSP ``nonce``) or
    to turn into a PDF: the tables, then the sign-off line (name, signature, date, place) for the
    consular officer and the carrier."""
    return render_to_string(
        "evacuation/manifest_pdf.html",
        {
            "manifest": manifest,
            "header": header(),
            "columns": len(header()) - 1,  # the section is a heading, not a column
            "rtl": rtl,
            "page": page,
            "nonce": nonce,
            "printed": timezone.localtime(),
            "branding": Branding.current(),
            "signers": [_("Consular officer"), _("Carrier")],
        },
    )


def to_pdf(manifest, rtl=False):
    from weasyprint import HTML  # imported here: it loads Pango, which other pages do not need

    return HTML(string=printable(manifest, rtl=rtl)).write_pdf()


def render(manifest, fmt, rtl=False, nonce=""):
    if fmt == "xlsx":
        return to_xlsx(manifest)
    if fmt == "pdf":
        return to_pdf(manifest, rtl=rtl)
    if fmt == "html":
        return printable(manifest, rtl=rtl, page=True, nonce=nonce).encode()
    return to_csv(manifest)
