"""The one error of the demo's loading (its own module: the loader and the translations'
step both raise it)."""


class DemoDataRefused(Exception):
    """A row of the data files that a service refused, or a reference to a row that does not
    exist; the message names the row."""
