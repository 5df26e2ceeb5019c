"""A destination briefing as a printable PDF (WeasyPrint), in any language, right to left for Arabic."""

from django.template.loader import render_to_string
from django.utils import translation


def briefing_pdf(briefing, text, posts, language):
    """The PDF bytes of one language of a briefing; ``language`` is the UI language for headings."""
    from weasyprint import HTML  # imported here: it loads Pango, which pages without PDFs do not need

    from lifeline.core.languages import is_rtl

    with translation.override(language):
        html = render_to_string(
            "advice/briefing_pdf.html",
            {
                "briefing": briefing,
                "text": text,
                "posts": posts,
                "rtl": is_rtl(text.language),
                "language": text.language,
            },
        )
    return HTML(string=html).write_pdf()
