"""Migrant-inclusive risk analysis: where migrants are (presence figures with their source and date),
which hazards reach them (hazard zones, GDACS events, imported alerts), and which languages warnings
need. This app owns "which languages are spoken in this area" (DESIGN.md, shared engines)."""
