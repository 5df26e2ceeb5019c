"""Number formats where Django's own are not what readers expect (``FORMAT_MODULE_PATH``).

Figures on staff pages are written with ``floatformat:"g"``: grouped by the reader's locale
(1,234 in English, 1 234 with a non-breaking space in French and Russian, 1.234 in Portuguese).
Only what differs from Django's formats is set here; dates stay Django's.
"""
