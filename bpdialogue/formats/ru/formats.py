# Django's Russian formats, but for the time of day: "09:30", as in the English pages and the
# agenda PDF (Django's own is "9:30"). Everything not named here is Django's.
TIME_FORMAT = "H:i"
