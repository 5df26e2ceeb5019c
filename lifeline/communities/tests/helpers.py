"""Shared by the tests of community profiles."""


def form_data(organisation, **overrides):
    """A valid POST for the profile form."""
    data = {
        "organisation": organisation.pk,
        "name": "Nepali construction workers",
        "origin_countries": "NP",
        "languages": "ne",
        "estimated_size": "3000",
        "size_source": "Key informants",
        "size_date": "2026-01-15",
        "female_pct": "10",
        "children_pct": "5",
        "elderly_pct": "1",
        "sectors": ["construction"],
        "housing": "employer",
        "vulnerabilities": ["documents_held", "language"],
        "fear_of_enforcement": "high",
        "phone_use_pct": "95",
        "smartphone_pct": "80",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
