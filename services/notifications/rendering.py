"""Templates with named placeholders: `{nama}`. Plain Python, no I/O.

Only `{lower_snake_name}` is a placeholder (no attribute access, no format specs: a
template is data, not code). Rendering refuses a template whose placeholder has no
value; in HTML every value is escaped; a subject never carries a line break.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from servicekit.dates import MONTHS, tanggal

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
WIB = ZoneInfo("Asia/Jakarta")


class MissingPlaceholders(Exception):
    """A template asks for values the event does not provide."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


@dataclass(frozen=True)
class Rendered:
    subject: str | None
    text: str
    html: str | None


def placeholders(*texts: str | None) -> list[str]:
    """The placeholder names used by the given texts, sorted."""
    return sorted({name for text in texts if text for name in PLACEHOLDER.findall(text)})


def _fill(text: str, values: dict[str, str], escape: bool = False) -> str:
    def value(match: re.Match) -> str:
        raw = values[match.group(1)]
        return html.escape(raw, quote=True) if escape else raw

    return PLACEHOLDER.sub(value, text)


def text_to_html(text: str) -> str:
    """An HTML body for a template that has only text: escaped, paragraphs and line breaks kept."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=True).replace("\n", "<br>\n") + "</p>\n" for p in paragraphs
    )


def render(
    subject: str | None,
    body_text: str,
    body_html: str | None,
    values: dict[str, str],
    want_html: bool = False,
) -> Rendered:
    """Fill a template; raises MissingPlaceholders naming every value that is missing."""
    missing = [n for n in placeholders(subject, body_text, body_html) if values.get(n) is None]
    if missing:
        raise MissingPlaceholders(missing)
    rendered_subject = None
    if subject is not None:
        rendered_subject = " ".join(_fill(subject, values).split())[:250]
    text = _fill(body_text, values)
    if body_html:
        rendered_html = _fill(body_html, values, escape=True)
    else:
        rendered_html = text_to_html(text) if want_html else None
    return Rendered(rendered_subject, text, rendered_html)


def format_wib(moment: datetime) -> str:
    """`23 November 2026 09.15 WIB`: how a time is shown to people here."""
    local = moment.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H.%M} WIB"


def as_text(value) -> str | None:
    """A payload value as it reads in a message; None stays missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return format_wib(value)
    if isinstance(value, date):
        return tanggal(value)
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (as_text(v) for v in value) if t)
    return str(value)
