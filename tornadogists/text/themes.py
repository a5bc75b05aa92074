"""Colour themes: the names a visitor may choose (text/highlight.py styles code for each)."""

THEMES = ("auto", "light", "dark")   # auto follows the system's light or dark setting
DEFAULT = "auto"


def theme_named(value: str | None) -> str:
    """`value` when it names a theme, else the default: a stale cookie or a bad parameter never breaks a page."""
    return value if value in THEMES else DEFAULT
