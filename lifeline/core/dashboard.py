"""The home page of each stream: what a consul and what a planner should look at first.

``core`` knows no app: each app gives the home of a stream its panel (``register_panel``, called
from its ``AppConfig.ready``): a function that counts its figures, and the templates that show them
as cards (in "What waits for you") and as a section below. The home calls the panels of the user's
stream in their order and renders their templates with every figure.

Every figure is read through the same scoped querysets as the pages it links to (``for_user``,
``readable_by``, ``people_q``), so a number on the home is the length of the list behind its link.
A few queries each, whatever the size of the registries (core/tests/test_homes.py counts them).
"""

from collections.abc import Callable
from dataclasses import dataclass

from lifeline.core.models import Branding, OrganisationKind, Stream
from lifeline.core.registry_views import is_id
from lifeline.geo.models import AdminArea

# Organisations of the home-country stream (a ministry of foreign affairs and its network).
HOME_KINDS = {OrganisationKind.FOREIGN_AFFAIRS, OrganisationKind.CONSULAR_POST, OrganisationKind.CRISIS_CELL}


def stream_of(user, deployment=None):
    """The stream whose home and menu come first for ``user``: the deployment's only stream, else
    the one of the user's organisation (a ministry, a post or a crisis cell is the home country's)."""
    streams = (deployment or Branding.current()).streams
    if streams != Stream.BOTH:
        return streams
    profile = getattr(user, "profile", None)
    kind = profile.organisation.kind if profile is not None else None
    return Stream.HOME if kind in HOME_KINDS else Stream.HOST


@dataclass(frozen=True)
class Panel:
    """An app's part of a stream's home: ``figures(home)`` returns {name: value} for the page (a dict
    value is merged with the other panels' of the same name, as the planner's ``counts``);
    ``cards`` is a template of ``<li class="card">`` items, ``section`` one of what follows them."""

    app: str
    stream: str
    order: int
    figures: Callable
    cards: str = ""
    section: str = ""


_PANELS = []


def register_panel(app, stream, order, figures, cards="", section=""):
    """An app adds its panel to the home of ``stream`` (``Stream.HOME`` or ``Stream.HOST``); panels
    are shown by ``order``. Registering the same app's panel of a stream again replaces it."""
    _PANELS[:] = [p for p in _PANELS if (p.app, p.stream) != (app, stream)]
    _PANELS.append(Panel(app, stream, order, figures, cards, section))
    _PANELS.sort(key=lambda p: (p.order, p.app))


def panels(stream):
    return [p for p in _PANELS if p.stream == stream]


class Home:
    """What a panel is given: the user, the area chosen for the planner's gap lists, and each
    model's ``readable_by`` queryset built once for every panel that reads it."""

    def __init__(self, user, stream, area=None):
        self.user, self.stream, self.area = user, stream, area
        self._readable = {}

    def readable(self, model):
        if model not in self._readable:
            self._readable[model] = model.objects.readable_by(self.user)
        return self._readable[model]


def home_figures(user, area_id=None, deployment=None):
    stream = stream_of(user, deployment)
    figures = {"stream": stream}
    area = None
    if stream == Stream.HOST:  # the planner's gaps are shown for one area or all
        area = AdminArea.objects.filter(pk=area_id).first() if is_id(area_id) else None
        figures.update(area=area, areas=AdminArea.objects.order_by("name"))
    home = Home(user, stream, area)
    shown = panels(stream)
    for panel in shown:
        for name, value in panel.figures(home).items():
            if isinstance(value, dict) and isinstance(figures.get(name), dict):
                value = {**figures[name], **value}
            figures[name] = value
    figures["panel_cards"] = [p.cards for p in shown if p.cards]
    figures["panel_sections"] = [p.section for p in shown if p.section]
    return figures
