"""Where an app keeps its public trail (servicekit.trail): the table's columns, appending an
entry in the caller's transaction, reading chains, and each chain's head for the digests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint, and_, column, func, select, table
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from servicekit.database import UtcDateTime
from servicekit.trail import GENESIS, MAX_HEADS_PAGE, at_text, data_hash, entry_hash


class TrailColumns:
    """Columns of an app's `public_trail` table: mix into a model of the app's own Base."""

    __tablename__ = "public_trail"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    data_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @declared_attr.directive
    def __table_args__(cls):  # noqa: N805 - a declared attribute
        return (UniqueConstraint("chain", "seq", name="uq_public_trail_chain_seq"),)


def append(session: Session, model: type, chain: str, at: datetime, data: dict):
    """Add the next entry of `chain` (the caller's transaction holds the thing's row, so two
    appends to one chain do not race; a race would fail on the unique (chain, seq))."""
    last = session.execute(
        select(model.seq, model.hash)
        .where(model.chain == chain)
        .order_by(model.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    digest = data_hash(data)
    entry = model(
        chain=chain,
        seq=seq,
        at=at,
        data=data,
        data_hash=digest,
        prev_hash=prev,
        hash=entry_hash(chain, seq, at_text(at), digest, prev),
    )
    session.add(entry)
    return entry


def backfill_rows(lines) -> list[dict]:
    """Rows of chains built from earlier public lines `(chain, at, data)`, each chain's lines in
    order (a migration's backfill of the things made before the trail existed)."""
    rows: list[dict] = []
    last: dict[str, tuple[int, str]] = {}
    for chain, at, data in lines:
        seq, prev = last.get(chain, (0, GENESIS))
        digest = data_hash(data)
        digest_of_entry = entry_hash(chain, seq + 1, at_text(at), digest, prev)
        rows.append(
            {
                "chain": chain,
                "seq": seq + 1,
                "at": at,
                "data": data,
                "data_hash": digest,
                "prev_hash": prev,
                "hash": digest_of_entry,
            }
        )
        last[chain] = (seq + 1, digest_of_entry)
    return rows


def create_trail_table(op, sa) -> None:
    """A migration's `public_trail` table, the same in every app."""
    op.create_table(
        "public_trail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=80), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("data_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain", "seq", name="uq_public_trail_chain_seq"),
    )
    op.create_index("ix_public_trail_chain", "public_trail", ["chain"])
    op.create_index("ix_public_trail_at", "public_trail", ["at"])


def trail_table():
    """The `public_trail` table as a migration's bulk insert sees it."""
    return table(
        "public_trail",
        column("chain", String),
        column("seq", Integer),
        column("at", UtcDateTime()),
        column("data", JSON),
        column("data_hash", String),
        column("prev_hash", String),
        column("hash", String),
    )


def as_public(entry, withheld: bool = False) -> dict:
    return {
        "seq": entry.seq,
        "at": at_text(entry.at),
        "data": None if withheld else entry.data,
        "data_hash": entry.data_hash,
        "prev": entry.prev_hash,
        "hash": entry.hash,
    }


def entries_of(session: Session, model: type, chains: list[str]) -> dict[str, list]:
    rows = session.scalars(
        select(model).where(model.chain.in_(chains)).order_by(model.chain, model.seq)
    )
    found: dict[str, list] = {chain: [] for chain in chains}
    for row in rows:
        found[row.chain].append(row)
    return found


def code_point_order(session: Session, model: type):
    """The chain column compared by code point, as docs/transparency.md orders chains (SQLite's
    default; PostgreSQL's database collation may order "-" and "/" otherwise)."""
    if session.get_bind().dialect.name == "postgresql":
        return model.chain.collate("C")
    return model.chain


def heads(
    session: Session,
    model: type,
    until: datetime,
    after: str | None = None,
    limit: int = MAX_HEADS_PAGE,
) -> list[dict]:
    """Each chain's last entry before `until`, in chain order after `after`:
    `[{chain, seq, hash}]`."""
    key = code_point_order(session, model)
    last = select(model.chain, func.max(model.seq).label("seq")).where(model.at < until)
    if after:
        last = last.where(key > after)
    last = last.group_by(model.chain).order_by(key).limit(limit).subquery()
    rows = session.execute(
        select(model.chain, model.seq, model.hash)
        .join(last, and_(model.chain == last.c.chain, model.seq == last.c.seq))
        .order_by(key)
    )
    return [{"chain": r.chain, "seq": r.seq, "hash": r.hash} for r in rows]


def chain_answer(chain: str, entries: list, withheld: str | None = None) -> dict:
    return {
        "chain": chain,
        "entries": [as_public(entry, withheld=withheld is not None) for entry in entries],
        "withheld": withheld,
    }


def trails_page(session: Session, model: type, after: str | None, limit: int, withheld) -> dict:
    """A page of whole chains in chain order after `after`; `withheld(chains)` names the
    chains whose data is withheld, with the reason: `{chain: reason}`."""
    key = code_point_order(session, model)
    query = select(key.label("chain")).distinct().order_by(key).limit(limit + 1)
    if after:
        query = query.where(key > after)
    chains = list(session.scalars(query))
    more = len(chains) > limit
    chains = chains[:limit]
    found = entries_of(session, model, chains)
    reasons = withheld(chains) if chains else {}
    return {
        "trails": [chain_answer(c, found[c], reasons.get(c)) for c in chains],
        "next": chains[-1] if more else None,
    }
