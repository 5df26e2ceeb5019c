# English is read in every country this product serves: a short date is written the one way no
# reader misreads (2026-07-12, not 07/12/2026, which is 7 December in most of them).
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
