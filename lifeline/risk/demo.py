"""Demo data for the risk analysis: GDACS events as the poller would have read them (an Orange
earthquake near Amman from the RSS feed, then its Red episode with its shape from the GeoJSON API,
a flood in the Philippines, a cyclone that is over), so that the Amman post has a proposal."""

from pathlib import Path

from lifeline.risk.services import import_gdacs

DATA = Path(__file__).parent / "data"


def load(write=print, **kwargs):
    totals = [import_gdacs((DATA / name).read_bytes()) for name in ("gdacs_rss.xml", "gdacs_events.geojson")]
    write(
        f"GDACS events: {sum(t['created'] for t in totals)}, proposals: {sum(t['proposals'] for t in totals)}.\n"
    )
