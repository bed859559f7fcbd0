# Dates as a Chinese office writes them: 2026年11月5日, 2026年11月, 11月5日 (Django's own
# month-day format pads the month: "09月1日").
DATE_FORMAT = "Y年n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
