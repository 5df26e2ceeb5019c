"""Finding interpreters, and the languages nobody can interpret: one place for both.

Also the rules about language pairs that the form and the import share.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core.errors import Invalid, model_errors
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


# What ``save_interpreter`` writes: plain values (an ``Organisation`` and an ``AdminArea`` row or
# None, dates, lists of choice keys), ``messaging`` a list of {type, value}.
FIELDS = (
    "organisation",
    "full_name",
    "phone",
    "email",
    "messaging",
    "modalities",
    "specialisations",
    "home_area",
    "city",
    "travel_range_km",
    "always_available",
    "engagement",
    "vetting",
    "vetted_on",
    "code_of_conduct_signed",
    "consent_stored",
    "consent_contact",
    "consent_date",
    "last_verified",
    "active",
    "notes",
)
PERSONAL = ("phone", "email", "messaging")  # interpreters/disclosure.py
# A language pair: ``source`` and ``target`` are ``Language`` rows; a window: a weekday and two times.
PAIR_FIELDS = (
    "source",
    "target",
    "both_directions",
    "proficiency",
    "dialect",
    "script",
    "certified",
    "certification",
)
WINDOW_FIELDS = ("weekday", "start", "end")
# Where the errors of pairs and windows are named: ``pairs[1].source``, ``availability[0]``, ``pairs``.
PAIRS, WINDOWS = "pairs", "availability"


def check_writer(by, interpreter=None, values=None):
    """Refuse (PermissionDenied) a user who may not change interpreters, or this one: kept outside
    their scope, or holding contact details they may not see; nor may one who may not see contact
    details write them (``values``)."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core import disclosure
    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    if not has_perm(by, Area.INTERPRETERS, Action.CHANGE):
        raise PermissionDenied
    if interpreter is not None and interpreter.pk is not None:
        stored = Interpreter.objects.for_user(by, Action.CHANGE).filter(pk=interpreter.pk).first()
        if stored is None:
            raise PermissionDenied
        if disclosure.policy_for(stored).held(stored):
            disclosure.require(by, stored)  # no editing what one may not see
    if values is not None and any(values.get(name) for name in PERSONAL):
        disclosure.require(by, Interpreter)


def _required():
    return [_("This field is required.")]


def _normalised(values):
    """``values`` with phone, email and handles as they are stored (phone numbers dialled locally read
    in the country of the keeping organisation), modalities and specialisations sorted, each once;
    and the errors of those that do not read."""
    from django.core.validators import validate_email
    from django.forms import MultipleChoiceField

    from lifeline.core import defaults
    from lifeline.directory.tabular import normalise_channel
    from lifeline.interpreters.models import Modality
    from lifeline.interpreters.tabular import check_messaging, normalise_phone

    values, errors = dict(values), {}
    region = defaults.phone_region(organisation=values.get("organisation"))
    try:
        values["phone"] = normalise_phone(values.get("phone"), region)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    values["email"] = str(values.get("email") or "").strip()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
    handles, found = [], []
    try:
        check_messaging(values.get("messaging") or [])
        for channel in values.get("messaging") or []:
            try:
                handles.append(
                    {
                        "type": channel["type"],
                        "value": normalise_channel(channel["type"], channel["value"], region),
                    }
                )
            except ValidationError as exc:
                found.extend(exc.messages)
    except ValidationError as exc:
        found.extend(exc.messages)
    if found:
        errors["messaging"] = found
    values["messaging"] = handles
    for name, choices in (("modalities", Modality), ("specialisations", Specialisation)):
        chosen = values.get(name) or []
        if wrong := [c for c in chosen if c not in choices.values]:
            message = MultipleChoiceField.default_error_messages["invalid_choice"]
            errors[name] = [str(message) % {"value": wrong[0]}]
        values[name] = sorted(set(chosen))
    return values, errors


def _pair_errors(pairs):
    """The rules of the language pairs, keyed ``pairs[i].field`` and ``pairs[i]``; ``pairs`` for a
    pair listed twice (among those that hold)."""
    from lifeline.interpreters.tabular import normalise_script

    errors, kept = {}, []
    for index, pair in enumerate(pairs):
        prefix, found = f"{PAIRS}[{index}]", {}
        for name in ("source", "target"):
            if pair.get(name) is None:
                found[f"{prefix}.{name}"] = _required()
        try:
            normalise_script(pair.get("script"))
        except ValidationError as exc:
            found[f"{prefix}.script"] = list(exc.messages)
        candidate = LanguagePair(**_pair_values(pair))
        found.update(model_errors(candidate, PAIR_FIELDS, found, prefix, constraints=True))
        if not found:
            kept.append((pair["source"].code, pair["target"].code, pair.get("both_directions", True)))
        errors.update(found)
    try:
        check_pairs(kept)
    except ValidationError as exc:
        errors[PAIRS] = list(exc.messages)
    return errors


def _window_errors(windows):
    """The rules of the availability windows, keyed ``availability[i].field`` and ``availability[i]``."""
    from lifeline.interpreters.models import AvailabilityWindow

    errors = {}
    for index, window in enumerate(windows):
        prefix = f"{WINDOWS}[{index}]"
        found = {f"{prefix}.{name}": _required() for name in WINDOW_FIELDS if window.get(name) is None}
        candidate = AvailabilityWindow(**{name: window.get(name) for name in WINDOW_FIELDS})
        found.update(model_errors(candidate, WINDOW_FIELDS, found, prefix, constraints=True))
        errors.update(found)
    return errors


def interpreter_errors(by, interpreter, values, pairs=(), windows=()):
    """The rules of an interpreter's values, pairs and windows, {field: [messages]} ({} when they
    hold): kept by an organisation ``by`` may write to, a name, consent to be stored, contact details
    that read as such, and the model's own rules; each pair two different languages, not listed
    twice; each window ending after it starts."""
    import copy

    from django.forms import ModelChoiceField

    from lifeline.core.permissions import writable_organisations
    from lifeline.interpreters.models import NO_CONSENT

    values, errors = _normalised(values)
    if not str(values.get("full_name") or "").strip():
        errors["full_name"] = _required()
    organisation = values.get("organisation")
    if organisation is None:
        errors["organisation"] = _required()
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    if not values.get("consent_stored"):
        errors["consent_stored"] = [str(NO_CONSENT)]
    candidate = copy.copy(interpreter) if interpreter is not None else Interpreter()
    _apply(candidate, {k: v for k, v in values.items() if k not in errors})
    errors.update(model_errors(candidate, FIELDS, errors, constraints=True))
    errors = {name: errors[name] for name in FIELDS + ("__all__",) if name in errors} | errors
    return {**errors, **_pair_errors(pairs), **_window_errors(windows)}


def _apply(interpreter, values):
    for name in FIELDS:
        if name in values:
            setattr(interpreter, name, values[name])


def _pair_values(pair):
    from lifeline.interpreters.tabular import normalise_script

    found = {name: pair[name] for name in PAIR_FIELDS if name in pair}
    found["dialect"] = str(found.get("dialect") or "").strip()
    found["certification"] = str(found.get("certification") or "").strip()
    try:
        found["script"] = normalise_script(found.get("script"))
    except ValidationError:
        pass  # named by ``_pair_errors``
    return found


def _replace(manager, model, items, key, values):
    """Leave ``manager``'s rows as ``items`` lists them: a stored row with the same ``key`` as an
    item is kept (and updated when its values differ), the other stored rows are deleted, the
    other items added. Returns whether anything changed."""
    remaining, changed, added = list(manager.all()), False, []
    matched = []
    for item in items:
        found = next((row for row in remaining if key(row) == key(item)), None)
        if found is None:
            added.append(item)
        else:
            remaining.remove(found)
            matched.append((found, item))
    for row in remaining:
        row.delete()
        changed = True
    for row, item in matched:
        wanted = values(item)
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.save()
            changed = True
    for item in added:
        model.objects.create(**{manager.field.name: manager.instance}, **values(item))
        changed = True
    return changed


def _pair_key(pair):
    if isinstance(pair, LanguagePair):
        return (pair.source_id, pair.target_id)
    return (pair["source"].pk, pair["target"].pk)


def _window_key(window):
    if isinstance(window, dict):
        return tuple(window[name] for name in WINDOW_FIELDS)
    return tuple(getattr(window, name) for name in WINDOW_FIELDS)


def _window_values(window):
    return {name: window[name] for name in WINDOW_FIELDS}


def save_interpreter(by, interpreter, values, pairs=(), windows=(), *, version=""):
    """Create (``interpreter`` None) or change an interpreter with their language pairs and weekly
    availability, as ``by``: every rule checked before anything is saved (``interpreter_errors``),
    then all of it in one transaction, audited as ``by`` (a change of pairs or windows on the
    interpreter's audit trail). ``values`` are plain values (see ``FIELDS``); ``pairs`` and
    ``windows`` lists of dicts (``PAIR_FIELDS``, ``WINDOW_FIELDS``): a stored pair with the same
    languages, or window with the same day and times, is kept (and updated), every other stored
    one deleted. ``version`` is the one its author read (``core/versions``: the page's form, the
    API's ``If-Match``): when the interpreter has changed since, ``ChangedMeanwhile`` and nothing
    changes. Refused input raises ``Invalid``. Returns the interpreter."""
    from django.db import transaction

    from lifeline.core import audit
    from lifeline.core.models import AuditAction
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint
    from lifeline.interpreters.models import AvailabilityWindow

    pairs, windows = list(pairs), list(windows)
    check_writer(by, interpreter, values)
    errors = interpreter_errors(by, interpreter, values, pairs, windows)
    if errors:
        raise Invalid(errors)
    values, _errors = _normalised(values)
    existed = interpreter is not None and interpreter.pk is not None
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        if version and existed and current_fingerprint(interpreter, lock=True) != version:
            raise ChangedMeanwhile(interpreter)
        interpreter = interpreter if interpreter is not None else Interpreter()
        _apply(interpreter, values)
        interpreter.save()
        changed = []
        if _replace(interpreter.pairs, LanguagePair, pairs, _pair_key, _pair_values):
            changed.append(PAIRS)
        if _replace(interpreter.availability, AvailabilityWindow, windows, _window_key, _window_values):
            changed.append(WINDOWS)
        if existed and changed:
            audit.record(AuditAction.UPDATE, obj=interpreter, fields=changed)
    return interpreter
