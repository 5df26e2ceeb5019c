"""Finding interpreters, and the languages nobody can interpret: one place for both.

Also the rules about language pairs that the form and the import share.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core.names import find_language
from lifeline.geo.models import AdminArea
from lifeline.interpreters.models import Interpreter, LanguagePair, Specialisation, Vetting

# Why a match ranks where it does, as the badges on the search page show it.
REASON_LABELS = {
    "in_area": gettext_lazy("in the area"),
    "remote": gettext_lazy("remote"),
    "available": gettext_lazy("available now"),
    "certified": gettext_lazy("certified"),
    "vetted": gettext_lazy("vetted"),
    **dict(Specialisation.choices),
}


@dataclass
class Match:
    interpreter: Interpreter
    score: float
    reasons: list = field(default_factory=list)
    in_area: bool = False
    remote: bool = False
    available: bool = False

    @property
    def badges(self):
        return [REASON_LABELS.get(reason, reason) for reason in self.reasons]


def resolve_language(text):
    """An ISO 639 code (``tl`` → ``fil``) or a language's name (``Tagalog``) → normalised code, or None."""
    return find_language(text)


def area_ids(area):
    """The area and every area inside it: an interpreter based in a district is in its province."""
    ids, frontier = {area.pk}, {area.pk}
    while frontier:
        frontier = set(AdminArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def json_list_has(name, value):
    """Q for a JSON list field holding ``value`` (a choice key), on SQLite and PostgreSQL alike."""
    return Q(**{f"{name}__icontains": f'"{value}"'})


def duplicated_pairs(pairs):
    """(source, target, both_directions) triples → the ones that repeat a direction already listed."""
    seen, repeated = set(), []
    for source, target, both in pairs:
        directions = {(source, target), (target, source)} if both else {(source, target)}
        if directions & seen:
            repeated.append((source, target, both))
        seen |= directions
    return repeated


def check_pairs(pairs):
    """Raise ValidationError naming each pair listed twice."""
    repeated = duplicated_pairs(pairs)
    if repeated:
        raise ValidationError(
            [
                _("%(source)s %(arrow)s %(target)s is listed twice.")
                % {"source": s, "target": t, "arrow": "↔" if both else "→"}
                for s, t, both in repeated
            ]
        )


def search_interpreters(
    queryset,
    q="",
    language="",
    area=None,
    modality="",
    specialisation="",
    engagement="",
    vetting="",
    active_only=False,
):
    """The list page's filters."""
    if q:
        queryset = queryset.filter(Q(full_name__icontains=q) | Q(city__icontains=q) | Q(notes__icontains=q))
    if language:
        code = resolve_language(language) or language
        pairs = LanguagePair.objects.filter(Q(source__code=code) | Q(target__code=code))
        queryset = queryset.filter(pk__in=pairs.values("interpreter_id"))
    if area is not None:
        queryset = queryset.filter(home_area_id__in=area_ids(area))
    if modality:
        queryset = queryset.filter(json_list_has("modalities", modality))
    if specialisation:
        queryset = queryset.filter(json_list_has("specialisations", specialisation))
    if engagement:
        queryset = queryset.filter(engagement=engagement)
    if vetting:
        queryset = queryset.filter(vetting=vetting)
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset


def _pairs_for(source, target):
    """Pairs that carry ``source`` into ``target`` (the same rule as LanguagePair.serves; empty = any)."""
    forward, backward = Q(), Q(both_directions=True)
    if source:
        forward &= Q(source__code=source)
        backward &= Q(target__code=source)
    if target:
        forward &= Q(target__code=target)
        backward &= Q(source__code=target)
    return LanguagePair.objects.filter(forward | backward)


def find_interpreters(
    queryset,
    source="",
    target="",
    area=None,
    remote_ok=True,
    available_now=False,
    specialisation="",
    modality="",
    when=None,
):
    """Interpreters who can do the job, best first.

    Hard requirements filter: active and consenting to be contacted, the language
    pair (in the asked direction), the modality, available now if asked, and if
    an area is given: based in it (or in an area inside it) or able to work
    remotely. Everything else ranks: in the area, available now, the
    specialisation, proficiency and certification, vetting, recent verification.
    ``source`` and ``target`` may be codes or English language names.
    """
    when = when or timezone.localtime()
    source, target = resolve_language(source) or source, resolve_language(target) or target
    queryset = queryset.filter(active=True, consent_contact=True)
    if source or target:
        queryset = queryset.filter(pk__in=_pairs_for(source, target).values("interpreter_id"))
    if modality:
        queryset = queryset.filter(json_list_has("modalities", modality))
    queryset = queryset.select_related("home_area").prefetch_related(
        "pairs__source", "pairs__target", "availability"
    )
    local = area_ids(area) if area is not None else set()

    matches = []
    for interpreter in queryset:
        remote = interpreter.works_remotely
        in_area = interpreter.home_area_id in local
        if area is not None and not in_area and not (remote_ok and remote):
            continue
        available = interpreter.available_at(when)
        if available_now and not available:
            continue
        score, reasons = 0.0, []
        if in_area:
            score += 30
            reasons.append("in_area")
        elif remote:
            score += 10
            reasons.append("remote")
        if available:
            score += 20
            reasons.append("available")
        if specialisation and specialisation in (interpreter.specialisations or []):
            score += 25
            reasons.append(specialisation)
        pairs = [p for p in interpreter.pairs.all() if p.serves(source, target)]
        if pairs:
            best = max(pairs, key=lambda p: (p.proficiency, p.certified))
            score += best.proficiency * 4
            if best.certified:
                score += 5
                reasons.append("certified")
        if interpreter.vetting == Vetting.VETTED:
            score += 8
            reasons.append("vetted")
        if interpreter.last_verified:
            age = max(
                0, (timezone.localdate() - interpreter.last_verified).days
            )  # a future date earns nothing extra
            score += max(0.0, 5 - age / 73)
        matches.append(Match(interpreter, round(score, 1), reasons, in_area, remote, available))
    matches.sort(key=lambda m: (-m.score, m.interpreter.full_name))
    return matches


def covered_languages(interpreters, area=None):
    """Language codes that at least one active, contactable interpreter covers in the area or remotely."""
    queryset = interpreters.filter(active=True, consent_contact=True).prefetch_related(
        "pairs__source", "pairs__target"
    )
    local = area_ids(area) if area is not None else set()
    codes = set()
    for interpreter in queryset:
        if area is not None and interpreter.home_area_id not in local and not interpreter.works_remotely:
            continue
        for pair in interpreter.pairs.all():
            codes.add(pair.source.code)
            codes.add(pair.target.code)
    return codes


def language_gaps(communities, interpreters, area=None):
    """Languages spoken by communities in the area that no interpreter covers.

    Returns [(language, [communities speaking it], estimated people)], largest first.
    """
    if area is not None:
        communities = communities.filter(areas=area)
    spoken = {}
    for community in communities.prefetch_related("languages").distinct():
        for language in community.languages.all():
            entry = spoken.setdefault(language.code, [language, [], 0])
            entry[1].append(community)
            entry[2] += community.estimated_size or 0
    covered = covered_languages(interpreters, area)
    gaps = [tuple(entry) for code, entry in spoken.items() if code not in covered]
    gaps.sort(key=lambda g: (-g[2], g[0].code))
    return gaps


def save_interpreter(by, form, pairs, windows):
    """The one write of an interpreter with language pairs and availability windows (validated page
    forms, which the staff page and the API both fill), as ``by``: all of it in one transaction, and
    a change of pairs or windows recorded on the interpreter's audit trail. Returns the interpreter."""
    from django.db import transaction

    from lifeline.core import audit
    from lifeline.core.models import AuditAction

    existed = form.instance.pk is not None
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        saved = form.save()
        for formset in (pairs, windows):
            formset.instance = saved
            formset.save()
        changed = [
            name for name, formset in (("pairs", pairs), ("availability", windows)) if formset.has_changed()
        ]
        if existed and changed:
            audit.record(AuditAction.UPDATE, obj=saved, fields=changed)
    return saved
