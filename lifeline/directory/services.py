"""Reads and writes of key contacts that every entry point shares."""

from django.db.models import Q

from lifeline.core.names import normalise_language


def search_contacts(queryset, q="", category="", language="", area=None, trust="", h24=False, stale=False):
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(affiliation__icontains=q)
            | Q(role_title__icontains=q)
            | Q(capacity__icontains=q)
        )
    if category:
        queryset = queryset.filter(category=category)
    if language:
        queryset = queryset.filter(languages__code=normalise_language(language) or language)
    if area is not None:
        queryset = queryset.filter(coverage_areas=area)
    if trust:
        queryset = queryset.filter(trust_level=trust)
    if h24:
        queryset = queryset.filter(available_24_7=True)
    if stale:
        queryset = queryset.stale()
    return queryset.distinct()


def to_vcards(contacts, include_personal):
    """vCard 3.0 text for the contacts; channels only when the reader may see them."""
    import vobject

    from lifeline.core.models import Branding

    prodid = f"-//{Branding.current().product_name}//Key contacts//EN"
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("prodid").value = prodid
        card.add("fn").value = contact.name
        if contact.kind == "individual":
            parts = contact.name.split(" ", 1)
            card.add("n").value = vobject.vcard.Name(
                family=parts[-1], given=parts[0] if len(parts) > 1 else ""
            )
        else:
            card.add("n").value = vobject.vcard.Name(family=contact.name)
        if contact.affiliation or contact.kind == "organisation":
            card.add("org").value = [contact.affiliation or contact.name]
        if contact.role_title:
            card.add("title").value = contact.role_title
        if include_personal:
            for channel in contact.channels or []:
                kind, value = channel["type"], channel["value"]
                if kind in ("phone", "sms", "whatsapp", "signal", "viber"):
                    tel = card.add("tel")
                    tel.value = value
                    tel.type_param = {"sms": "TEXT", "phone": "VOICE"}.get(kind, "CELL")
                elif kind == "email":
                    card.add("email").value = value
                elif kind == "website":
                    card.add("url").value = value
                else:
                    card.add("x-socialprofile").value = f"{kind}:{value}"
        langs = [lang.code for lang in contact.languages.all()]
        if langs:
            card.add("x-languages").value = ", ".join(langs)
        card.add("categories").value = [contact.get_category_display()]
        if contact.notes:
            card.add("note").value = contact.notes
        cards.append(card.serialize())
    return "".join(cards)
