"""Proof that a refused write changed nothing: what was there before is there after.

A refusal test asserts the status (401, 403, 404, 409, 422, 429) and then, with one of these,
that nothing moved:

    with unchanged(client, f"/api/v1/complaints/{public_id}", auth(owner)):
        assert client.post(url, json=body, headers=auth(stranger)).status_code == 403

    with nothing_written(platform, "complaints"):
        assert client.post("/api/v1/complaints", json={}).status_code == 422

    with files_unchanged(blob_root):
        ...

Each reads before the block and again after it (when the block raised, nothing is compared:
the block's own failure is the one to see).
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path

from sqlalchemy import text

from servicekit.database import make_engine


def answer(client, url: str, headers: dict | None = None) -> tuple[int, object]:
    """The status and body of a GET: its JSON, else its text."""
    response = client.get(url, headers=headers or {})
    body = response.get_json(silent=True)
    return response.status_code, body if body is not None else response.get_data(as_text=True)


@contextlib.contextmanager
def unchanged(client, url: str, headers: dict | None = None):
    """`url` answers the same (200, same body) after the block as before it."""
    before = answer(client, url, headers)
    assert before[0] == 200, f"nothing to compare: {url} answered {before[0]}"
    yield before[1]
    after = answer(client, url, headers)
    same = after == before  # compared here: the failure names what differs, not the values
    assert same, f"{url} changed: {_difference(before, after)}"


def table_rows(db_url: str, *tables: str) -> dict[str, list[dict]]:
    """Every row of each table, ordered by its first column (the primary key); a table written
    `outbox(event_id)` is read for those columns only (e.g. to leave out what a background
    job updates, like an outbox row's published_at)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {table: _select(conn, table) for table in tables}
    finally:
        engine.dispose()


def _select(conn, table: str) -> list[dict]:
    name, _, columns = table.partition("(")
    columns = columns.rstrip(")") or "*"
    return [
        dict(r._mapping) for r in conn.execute(text(f"SELECT {columns} FROM {name} ORDER BY 1"))
    ]


@contextlib.contextmanager
def rows_unchanged(db_url: str, *tables: str, keep=None):
    """Every row of these tables (or of these columns: see table_rows) is the same after the
    block as before it: none added, none removed, none changed. `keep(table, row)`, if given,
    narrows the comparison to the rows it accepts (e.g. those about one proposal, when a timer
    may meanwhile write about others)."""

    def read():
        found = table_rows(db_url, *tables)
        if keep is None:
            return found
        return {t: [r for r in rows if keep(t.partition("(")[0], r)] for t, rows in found.items()}

    before = read()
    yield before
    after = read()
    # compared here, and reported by key and column (see _changes)
    changed = [table for table in tables if after[table] != before[table]]
    assert not changed, "; ".join(
        f"{table.partition('(')[0]} changed: {_changes(before[table], after[table])}"
        for table in changed
    )


# The outbox's columns a refusal must leave alone (the relay stamps published_at and attempts
# as it publishes earlier events, a write of its own: a new event is what a refusal must not add).
OUTBOX = "outbox(event_id,event_type,payload)"


# Tables the platform's own timers write whatever a request does: a timer's lease
# (servicekit.leases) is taken and handed back at every tick.
TIMER_TABLES = ("leases",)


def app_tables(app: str, leave_out: tuple[str, ...] = (), ignore: tuple[str, ...] = ()):
    """Every table an app's models declare, its outbox as OUTBOX; a column named in `ignore`
    ("table.column") is left out of its table's comparison; the timers' leases never count."""
    metadata = importlib.import_module(f"services.{app}.models").Base.metadata
    specs = []
    for table in metadata.sorted_tables:
        if table.name in leave_out or table.name in TIMER_TABLES:
            continue
        if table.name == "outbox":
            specs.append(OUTBOX)
            continue
        columns = [c.name for c in table.columns if f"{table.name}.{c.name}" not in ignore]
        whole = len(columns) == len(table.columns)
        specs.append(table.name if whole else f"{table.name}({','.join(columns)})")
    return tuple(specs)


def nothing_written(
    platform, app: str, leave_out: tuple[str, ...] = (), keep=None, ignore: tuple[str, ...] = ()
):
    """No row of the app's own database added, removed or changed in the block (rows_unchanged
    on app_tables, narrowed by `keep`), but in the tables and columns left out."""
    url = platform.config[f"{app.upper()}_DATABASE_URL"]
    return rows_unchanged(url, *app_tables(app, leave_out, ignore), keep=keep)


def _difference(before: tuple[int, object], after: tuple[int, object]) -> str:
    """The status, and which top-level keys of the body differ (a body may hold personal
    data, which a failure report must not print)."""
    (old_status, old), (new_status, new) = before, after
    if old_status != new_status:
        return f"status {old_status} -> {new_status}"
    if isinstance(old, dict) and isinstance(new, dict):
        return f"keys {sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))}"
    return "the body"


def _changes(before: list[dict], after: list[dict]) -> str:
    """Which rows and columns differ, by key and column name only (rows may hold personal
    data, which a failure report must not print)."""
    old = {next(iter(r.values())): r for r in before}
    new = {next(iter(r.values())): r for r in after}
    changed = {
        key: sorted(c for c in new[key] if new[key][c] != old[key].get(c))
        for key in old.keys() & new.keys()
        if old[key] != new[key]
    }
    return (
        f"added {sorted(new.keys() - old.keys())}, removed {sorted(old.keys() - new.keys())},"
        f" changed {changed}"
    )


def stored_files(root: Path) -> dict[str, int]:
    """Every file under `root`, by relative path, with its size."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_size
        for p in Path(root).rglob("*")
        if p.is_file()
    }


@contextlib.contextmanager
def files_unchanged(root: Path):
    """The same files (names and sizes) under `root` after the block as before it."""
    before = stored_files(root)
    yield before
    assert stored_files(root) == before


# What the proposals service's LPJ sweep (a timer, every PROPOSALS_LPJ_SWEEP_INTERVAL) writes on
# its own, whatever a request does: the reminders it counts on a disbursed proposal as its LPJ
# deadline nears, and the reminder events it adds. Tests run on any date, so it may write them
# during a refusal; they are not the refusal's.
LPJ_SWEEP_COLUMNS = ("proposals.lpj_reminders_sent",)
LPJ_REMINDER_EVENT = "proposals.lpj_reminder_due"


def _not_a_reminder(table: str, row: dict) -> bool:
    return not (table == "outbox" and row["event_type"] == LPJ_REMINDER_EVENT)


def proposals_unchanged(platform):
    """nothing_written for Serang Open, but for what the LPJ sweep writes on its own."""
    return nothing_written(platform, "proposals", keep=_not_a_reminder, ignore=LPJ_SWEEP_COLUMNS)


def proposal_untouched(platform, public_id: str):
    """Nothing written about one Serang Open proposal: its row, every row naming it (documents,
    stage changes, field checks, declarations, audit entries), every event about it, and the
    applicants; but for what the LPJ sweep writes on its own (about this proposal or others)."""
    url = platform.config["PROPOSALS_DATABASE_URL"]
    [key] = [
        r["id"] for r in table_rows(url, "proposals")["proposals"] if r["public_id"] == public_id
    ]

    def about(table: str, row: dict) -> bool:
        if not _not_a_reminder(table, row):
            return False
        if table == "proposals":
            return row["id"] == key
        if table == "outbox":
            return public_id in str(row["payload"])
        return row.get("proposal_id", key) == key

    return nothing_written(platform, "proposals", keep=about, ignore=LPJ_SWEEP_COLUMNS)
