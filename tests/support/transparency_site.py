"""A small fake Gawe site publishing public trails, signed daily digests and inclusion proofs
exactly as docs/transparency.md describes them, built with the platform's own servicekit.trail
and a test Ed25519 key: what the independent verifier (verifier/gawe_verify) is run against in
tests/unit/test_gawe_verify*.py and bench/verifier.py, without the platform.

Everything is plain data a test may change between runs (an entry's data, a digest's heads, a
whole chain, a proof's fields) to play someone who rewrites the record; `sign` re-signs a digest
with the site's key, as someone holding the key would.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from servicekit import trail

WIB = timedelta(hours=7)
DIGESTS = "/api/v1/transparency/digests"
TRAILS = {"/api/v1/registry/trails": "proposals/", "/api/v1/complaints/trails": "complaints/"}
PROOF = "/api/v1/transparency/proof"
# one chain's trail: /api/v1/registry/proposals/<id>/trail, /api/v1/complaints/<id>/trail
TRAIL = {"/api/v1/registry/proposals/": "proposals/", "/api/v1/complaints/": "complaints/"}


def public_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id(key: Ed25519PrivateKey) -> str:
    return hashlib.sha256(base64.b64decode(public_key_text(key))).hexdigest()[:16]


def wib_day(day: str) -> tuple[datetime, datetime]:
    """The UTC bounds of a WIB calendar day."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) - WIB
    return start, start + timedelta(days=1)


class FakeSite:
    def __init__(self, key: Ed25519PrivateKey | None = None):
        self.key = key or Ed25519PrivateKey.generate()
        self.keys: list[dict] = []  # the `keys` history the key endpoint lists
        self.chains: dict[str, list[dict]] = {}  # chain -> its public entries, oldest first
        self.withheld: dict[str, str] = {}  # chain -> why its data is not shown
        self.digests: list[dict] = []  # whole digests, in period order
        self.cache: dict[str, bytes] | None = None  # answers kept once frozen (bench)
        self.failing: dict[str, int] = {}  # path -> the error status it answers with
        self.order = None  # the trails' order (a sort key), code points when None
        self.requests: list[str] = []  # every path asked, with its query
        self.page_seconds = 0.0  # how long a page of trails takes to make (a slower site)
        self.proof_changes: dict[str, dict] = {}  # chain -> fields its proof answers instead

    # --- the record ----------------------------------------------------------------------------

    def append(self, chain: str, at: datetime, data: dict) -> dict:
        entries = self.chains.setdefault(chain, [])
        prev = entries[-1]["hash"] if entries else trail.GENESIS
        seq, at_text, digest = len(entries) + 1, trail.at_text(at), trail.data_hash(data)
        entry = {
            "seq": seq,
            "at": at_text,
            "data": data,
            "data_hash": digest,
            "prev": prev,
            "hash": trail.entry_hash(chain, seq, at_text, digest, prev),
        }
        entries.append(entry)
        return entry

    def seal(self, day: str, key: Ed25519PrivateKey | None = None) -> dict:
        """The digest of a WIB day: the head (last entry before the day's end) of every chain
        with an entry in the day, or of every chain for the first digest."""
        start, end = wib_day(day)
        start_text, end_text = trail.at_text(start), trail.at_text(end)
        heads = []
        for chain in sorted(self.chains):
            before = [e for e in self.chains[chain] if e["at"] < end_text]
            if before and (not self.digests or any(e["at"] >= start_text for e in before)):
                heads.append({"chain": chain, "seq": before[-1]["seq"], "hash": before[-1]["hash"]})
        key = key or self.key
        document = {
            "digest": {
                "version": 1,
                "date": day,
                "period_start": start_text,
                "period_end": end_text,
                "previous": self.digests[-1]["hash"] if self.digests else trail.GENESIS,
                "root": trail.heads_root(heads),
                "heads": len(heads),
                "issued": trail.at_text(end + timedelta(minutes=5)),
                "key_id": key_id(key),
            },
            "heads": heads,
        }
        self.sign(document, key)
        self.digests.append(document)
        return document

    def sign(self, document: dict, key: Ed25519PrivateKey | None = None) -> None:
        """(Re)compute a digest's hash and signature over its current content."""
        body = trail.canonical(document["digest"])
        document["hash"] = trail.sha256(body)
        document["signature"] = base64.b64encode((key or self.key).sign(body)).decode()

    def rekey(self, key: Ed25519PrivateKey, since: str, announce: bool = True) -> None:
        """A new signing key; the old one listed in `keys` unless `announce` is False."""
        if announce:
            self.keys = self.keys or [self.key_entry(self.key, self.digests[0]["digest"]["date"])]
            self.keys.append(self.key_entry(key, since))
        self.key = key

    @staticmethod
    def key_entry(key: Ed25519PrivateKey, since: str) -> dict:
        return {"key_id": key_id(key), "public_key": public_key_text(key), "since": since}

    # --- the answers ---------------------------------------------------------------------------

    def answer(self, path: str, query: dict) -> tuple[int, object]:
        if path in self.failing:
            return self.failing[path], {"title": "Galat"}
        if path == "/api/v1/transparency/key":
            return 200, {
                "algorithm": "Ed25519",
                "key_id": key_id(self.key),
                "public_key": public_key_text(self.key),
                "keys": self.keys,
            }
        if path == DIGESTS:
            page, per_page = int(query.get("page", 1)), int(query.get("per_page", 20))
            newest = list(reversed(self.digests))
            items = [self._listed(d) for d in newest[(page - 1) * per_page : page * per_page]]
            return 200, {"items": items, "total": len(newest), "page": page, "per_page": per_page}
        if path.startswith(DIGESTS + "/"):
            day = unquote(path[len(DIGESTS) + 1 :])
            found = [d for d in self.digests if d["digest"]["date"] == day]
            return (200, found[0]) if found else (404, {"title": "Tidak ditemukan"})
        if path in TRAILS:
            return 200, self._trails(TRAILS[path], query.get("after"), int(query["limit"]))
        if path == PROOF:
            found = self.proof(query.get("chain", ""))
            return (200, found) if found else (404, {"title": "Tidak ditemukan"})
        for prefix, kind in TRAIL.items():
            if path.startswith(prefix) and path.endswith("/trail"):
                chain = kind + unquote(path[len(prefix) : -len("/trail")])
                if chain in self.chains:
                    return 200, self._trail(chain)
        return 404, {"title": "Tidak ditemukan"}

    def proof(self, chain: str) -> dict | None:
        """The inclusion proof of `chain`'s head in the latest digest that committed it, as
        the transparency service answers it (and as `proof_changes` alters it)."""
        holding = [d for d in self.digests if any(h["chain"] == chain for h in d["heads"])]
        if not holding:
            return None
        document = holding[-1]
        heads = document["heads"]
        index = next(i for i, h in enumerate(heads) if h["chain"] == chain)
        leaves = [trail.leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
        return {
            "date": document["digest"]["date"],
            "chain": chain,
            "seq": heads[index]["seq"],
            "hash": heads[index]["hash"],
            "index": index,
            "size": len(heads),
            "path": trail.inclusion_proof(leaves, index),
            "root": document["digest"]["root"],
            "digest": document["digest"],
            "signature": document["signature"],
        } | self.proof_changes.get(chain, {})

    def _listed(self, document: dict) -> dict:
        digest = document["digest"]
        day = digest["date"]
        return {
            "date": day,
            "hash": document["hash"],
            "previous": digest["previous"],
            "root": digest["root"],
            "heads": digest["heads"],
            "issued": digest["issued"],
            "url": f"{DIGESTS}/{day}",
        }

    def _trail(self, chain: str) -> dict:
        return {
            "chain": chain,
            "entries": [
                e | {"data": None} if chain in self.withheld else e for e in self.chains[chain]
            ],
            "withheld": self.withheld.get(chain),
        }

    def _trails(self, prefix: str, after: str | None, limit: int) -> dict:
        key = self.order or (lambda name: name)
        names = sorted((c for c in self.chains if c.startswith(prefix)), key=key)
        if after is not None:
            names = [c for c in names if key(c) > key(after)]
        page = names[:limit]
        return {
            "trails": [self._trail(chain) for chain in page],
            "next": page[-1] if len(names) > limit else None,
        }

    @contextlib.contextmanager
    def serve(self):
        """The site on a free local port, for the time of the block: its base URL."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                site.requests.append(self.path)
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                if parts.path in TRAILS:
                    time.sleep(site.page_seconds)
                cached = site.cache.get(self.path) if site.cache is not None else None
                if cached is None:
                    status, body = site.answer(parts.path, query)
                    cached = json.dumps(body, ensure_ascii=False).encode()
                    if site.cache is not None and status == 200:
                        site.cache[self.path] = cached
                else:
                    status = 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(cached)))
                self.end_headers()
                self.wfile.write(cached)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
        thread.daemon = True
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


# --- a small honest site, and the verifier run against it ---------------------------------------

VERIFIER = Path(__file__).resolve().parents[2] / "verifier"
SO12, SO13 = "proposals/SO-2027-000012", "proposals/SO-2027-000013"
SRG42, SRG1 = "complaints/SRG-2026-000042", "complaints/SRG-2027-000001"


def small_site() -> FakeSite:
    """Four chains over two sealed days (2027-01-20 and -21) and one entry since:

    - proposals/SO-2027-000012: 3 entries on the 20th, 2 on the 21st (2 heads in digests);
    - proposals/SO-2027-000013: 3 on the 20th, 1 on the 22nd (not in a digest yet);
    - complaints/SRG-2026-000042: 2 on the 20th, hidden by moderation (data published null);
    - complaints/SRG-2027-000001: 1 on the 21st.
    """
    site = FakeSite()
    day1, day2, day3 = (wib_day(d)[0] for d in ("2027-01-20", "2027-01-21", "2027-01-22"))
    steps = [("submitted", None), ("evaluation", None), ("recommended", 45_000_000)]
    for chain in (SO12, SO13):
        for hour, (stage, amount) in enumerate(steps, start=2):
            site.append(chain, day1 + timedelta(hours=hour), proposal_step(stage, amount))
    for hour, status in ((1, "baru"), (5, "diproses")):
        site.append(SRG42, day1 + timedelta(hours=hour), {"to": status})
    site.withheld[SRG42] = "disembunyikan oleh moderator"
    site.seal("2027-01-20")
    for hour, stage in ((3, "tapd_review"), (6, "approved")):
        site.append(SO12, day2 + timedelta(hours=hour), proposal_step(stage, None))
    site.append(SRG1, day2 + timedelta(hours=8), {"to": "baru"})
    site.seal("2027-01-21")
    site.append(SO13, day3 + timedelta(hours=2), proposal_step("rejected"))
    return site


def proposal_step(stage: str, amount: int | None = None) -> dict:
    return {
        "action": stage,
        "to": stage,
        "by": "KESRA",
        "note": "Catatan publik — “Karang Taruna Bina Desa Pontang”",
        "amount": amount,
    }


def verify(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m gawe_verify` as its users run it: a process of its own, with nothing of the
    project on its path but verifier/ (and run from elsewhere)."""
    return subprocess.run(
        [sys.executable, "-m", "gawe_verify", url, *args],
        env={"PYTHONPATH": str(VERIFIER), "PATH": os.environ.get("PATH", ""), "HOME": str(cwd)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines(output: str) -> dict[str, str]:
    """The verifier's verdict lines (OK, RUSAK, PERINGATAN) by what each is about: a chain,
    `digest <date>`, `kunci`."""
    found = {}
    for line in output.splitlines():
        verdict, _, rest = line.partition(" ")
        if verdict in ("OK", "RUSAK", "PERINGATAN"):
            found[rest.split(":")[0]] = line
    return found
