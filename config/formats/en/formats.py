DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
SHORT_DATE_FORMAT = "Y-m-d"
MONTH_DAY_FORMAT = "j M"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# A moment as the reader in the region reads it, on viewflow's own pages too (the inbox, a
# task): "7 Dec 2026, 05:31", not Django's American "Dec. 7, 2026, 5:31 a.m.".
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
