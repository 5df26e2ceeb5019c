# Arabic with Western digits (the digits every staff page shows), as the CLDR writes it:
# 1,234,567.5. Django's own Arabic formats do not group thousands at all.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
