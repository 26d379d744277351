# Dates as Swedes write them: "28 nov 2025" (Django's own sv formats say "28 november 2025").
DATE_FORMAT = "j b Y"
YEAR_MONTH_FORMAT = "b Y"
SHORT_DATE_FORMAT = "Y-m-d"
MONTH_DAY_FORMAT = "j b"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
