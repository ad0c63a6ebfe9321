# The dialogue's records write dates the British way: "15 December 2016".
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Times of day on the 24-hour clock, as the agenda PDF prints them: "09:30", not "9:30 a.m.".
TIME_FORMAT = "H:i"
