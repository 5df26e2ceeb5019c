"""Finding interpreters, and the languages nobody can interpret: one place for both."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from lifeline.core.names import normalise_language
from lifeline.interpreters.models import REMOTE_MODALITIES, Interpreter, Vetting


@dataclass
class Match:
    interpreter: Interpreter
    score: float
    reasons: list = field(default_factory=list)
    in_area: bool = False
    remote: bool = False
    available: bool = False


def _pair_filter(source, target):
    forward = Q(pairs__source__code=source, pairs__target__code=target)
    backward = Q(pairs__source__code=target, pairs__target__code=source, pairs__both_directions=True)
    return forward | backward


def find_interpreters(queryset, source="", target="", area=None, remote_ok=True, available_now=False,
                      specialisation="", modality="", when=None):
    """Interpreters who can do the job, best first.

    Hard requirements filter (language pair, and if an area is given: based in it
    or able to work remotely); everything else ranks: in the area, available now,
    the specialisation, proficiency, vetting, recent verification.
    """
    when = when or timezone.localtime()
    source, target = normalise_language(source) or source, normalise_language(target) or target
    queryset = queryset.filter(active=True, consent_contact=True)
    if source and target:
        queryset = queryset.filter(_pair_filter(source, target))
    elif source or target:
        code = source or target
        queryset = queryset.filter(Q(pairs__source__code=code) | Q(pairs__target__code=code))
    queryset = queryset.distinct().select_related("home_area").prefetch_related("pairs__source", "pairs__target", "availability")

    matches = []
    for interpreter in queryset:
        modalities = set(interpreter.modalities or [])
        if modality and modality not in modalities:
            continue
        remote = bool(REMOTE_MODALITIES & modalities)
        in_area = area is not None and interpreter.home_area_id == area.pk
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
        if specialisation:
            if specialisation in (interpreter.specialisations or []):
                score += 25
                reasons.append("specialisation")
        pairs = [p for p in interpreter.pairs.all() if not (source and target) or p.serves(source, target)]
        if pairs:
            best = max(pairs, key=lambda p: (p.proficiency, p.certified))
            score += best.proficiency * 4 + (5 if best.certified else 0)
        if interpreter.vetting == Vetting.VETTED:
            score += 8
            reasons.append("vetted")
        if interpreter.last_verified:
            age = (timezone.localdate() - interpreter.last_verified).days
            score += max(0.0, 5 - age / 73)
        matches.append(Match(interpreter, round(score, 1), reasons, in_area, remote, available))
    matches.sort(key=lambda m: (-m.score, m.interpreter.full_name))
    return matches


def covered_languages(interpreters, area=None):
    """Language codes that at least one active, contactable interpreter covers in the area or remotely."""
    queryset = interpreters.filter(active=True, consent_contact=True).prefetch_related("pairs__source", "pairs__target")
    codes = set()
    for interpreter in queryset:
        if area is not None and interpreter.home_area_id != area.pk and not interpreter.works_remotely:
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
