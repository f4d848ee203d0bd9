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
def rows_unchanged(db_url: str, *tables: str):
    """Every row of these tables (or of these columns: see table_rows) is the same after the
    block as before it: none added, none removed, none changed."""
    before = table_rows(db_url, *tables)
    yield before
    after = table_rows(db_url, *tables)
    # compared here, and reported by key and column (see _changes)
    changed = [table for table in tables if after[table] != before[table]]
    assert not changed, "; ".join(
        f"{table} changed: {_changes(before[table], after[table])}" for table in changed
    )


def app_tables(app: str, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every table an app's models declare; its outbox by event id only (the relay stamps a
    row as it publishes it, a write of its own: a new event is what a refusal must not add)."""
    metadata = importlib.import_module(f"services.{app}.models").Base.metadata
    return tuple(
        "outbox(event_id)" if table.name == "outbox" else table.name
        for table in metadata.sorted_tables
        if table.name not in leave_out
    )


def nothing_written(platform, app: str, leave_out: tuple[str, ...] = ()):
    """No row of the app's own database added, removed or changed in the block (rows_unchanged
    on app_tables), but in the tables left out."""
    return rows_unchanged(
        platform.config[f"{app.upper()}_DATABASE_URL"], *app_tables(app, leave_out)
    )


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
