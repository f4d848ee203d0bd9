"""Weekly trends as bar charts drawn on the server: the geometry of an inline SVG (no script,
no chart library), each with a title and a table alternative in the template."""

from __future__ import annotations

from datetime import date

from servicekit.dates import MONTHS

WIDTH, HEIGHT, GAP, AXIS = 240, 80, 2, 12


def short(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.day} {MONTHS[d.month - 1][:3]}"


def bars(trend: dict) -> dict:
    """A trend's bars (x, y, width, height, label) in a WIDTH x HEIGHT box, its peak and total."""
    weeks = trend["weeks"]
    peak = max((w["count"] for w in weeks), default=0)
    step = WIDTH / max(len(weeks), 1)
    drawn = []
    for index, week in enumerate(weeks):
        height = 0 if not peak else round((HEIGHT - AXIS) * week["count"] / peak, 1)
        drawn.append(
            {
                "x": round(index * step + GAP / 2, 1),
                "y": round(HEIGHT - AXIS - height, 1),
                "width": round(step - GAP, 1),
                "height": height,
                "count": week["count"],
                "label": short(week["week_start"]),
            }
        )
    return {
        "key": trend["key"],
        "title": trend["label"],
        "bars": drawn,
        "peak": peak,
        "total": sum(w["count"] for w in weeks),
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - AXIS + 1,
        "first": drawn[0]["label"] if drawn else "",
        "last": drawn[-1]["label"] if drawn else "",
    }
