"""The formats Kazakh, Kyrgyz and Russian share: dd.mm.yyyy, 24-hour time, Monday first.

The *_FORMAT strings use Django's date format syntax, the *_INPUT_FORMATS Python's strptime.
"""

DATE_FORMAT = "d.m.Y"  # 24.01.2027
TIME_FORMAT = "H:i"  # 14:30, 09:05
DATETIME_FORMAT = "d.m.Y H:i"  # 24.01.2027 14:30
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "d.m"  # 24.01
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 24.01.2027
    "%d.%m.%y",  # 24.01.27
    "%Y-%m-%d",  # 2027-01-24, what a browser's date field sends
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:30
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",  # 14:30:59.000200
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # 24.01.2027 14:30
    "%d.%m.%Y %H:%M:%S",  # 24.01.2027 14:30:59
    "%d.%m.%Y %H:%M:%S.%f",  # 24.01.2027 14:30:59.000200
    "%d.%m.%Y",  # 24.01.2027
    "%d.%m.%y %H:%M",  # 24.01.27 14:30
    "%d.%m.%y %H:%M:%S",  # 24.01.27 14:30:59
    "%d.%m.%y",  # 24.01.27
    "%Y-%m-%d %H:%M",  # 2027-01-24 14:30
    "%Y-%m-%d %H:%M:%S",  # 2027-01-24 14:30:59
    "%Y-%m-%dT%H:%M",  # 2027-01-24T14:30, what a browser's datetime-local field sends
    "%Y-%m-%d",  # 2027-01-24
]
# 1 234 567,89: a decimal comma and a non-breaking space between thousands (KZ ST and GOST).
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
