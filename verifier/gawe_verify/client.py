"""Reading a Gawe site's public transparency endpoints over HTTP (urllib, no sign-in).

Every failure to read (the site down, a 5xx, an answer that is not the JSON the contract
describes) raises `Unreadable`: the verifier then says the site cannot be read (exit 2) rather
than that something on it is wrong. Transient failures (a dropped connection, 429, 502-504) are
tried again a few times first.
"""

from __future__ import annotations

import gzip
import http.client
import json
import time
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import Request, urlopen

from gawe_verify import __version__

KEY = "/api/v1/transparency/key"
DIGESTS = "/api/v1/transparency/digests"
TRAILS = {"proposals": "/api/v1/registry/trails", "complaints": "/api/v1/complaints/trails"}
TRAIL = {
    "proposals": "/api/v1/registry/proposals/{}/trail",
    "complaints": "/api/v1/complaints/{}/trail",
}
PROOF = "/api/v1/transparency/proof"
TRAILS_PAGE = 1000  # the largest page the contract allows
DIGESTS_PAGE = 100
RETRIES = 3
TRANSIENT = {429, 502, 503, 504}


class Unreadable(Exception):
    """The site (or one of its answers) cannot be read."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Site:
    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"alamat situs tidak sah: {base_url!r} (contoh: https://gawe.example)")
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.name = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")

    # --- one answer ---------------------------------------------------------------------------

    def get_json(self, path: str, params: dict | None = None):
        url = self.base + path + ("?" + urlencode(params) if params else "")
        request = Request(
            url,
            headers={
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": f"gawe-verify/{__version__}",
            },
        )
        for attempt in range(RETRIES + 1):
            try:
                return _read(request, self.timeout)
            except HTTPError as error:
                if error.code not in TRANSIENT or attempt == RETRIES:
                    raise Unreadable(f"{url}: HTTP {error.code}", error.code) from None
                time.sleep(_backoff(attempt, error.headers.get("Retry-After")))
            except (URLError, OSError, http.client.HTTPException) as error:
                if attempt == RETRIES:
                    reason = getattr(error, "reason", None) or error
                    raise Unreadable(f"{url}: {reason}") from None
                time.sleep(_backoff(attempt))
            except (ValueError, RecursionError):  # not JSON, or a broken gzip body
                raise Unreadable(f"{url}: jawaban bukan JSON yang sah") from None
        raise AssertionError("unreachable")

    # --- the endpoints ------------------------------------------------------------------------

    def key(self) -> dict:
        answer = self.get_json(KEY)
        if not isinstance(answer, dict):
            raise Unreadable(f"{self.base}{KEY}: jawaban bukan objek JSON")
        return answer

    def digest_list(self) -> list[dict]:
        """Every digest of the list, newest first, page after page until the last."""
        found: list[dict] = []
        dates: set = set()
        per_page: int | None = DIGESTS_PAGE
        page = 1
        while True:
            params = {"page": page} | ({"per_page": per_page} if per_page else {})
            try:
                answer = self.get_json(DIGESTS, params)
            except Unreadable as error:
                if error.status != 400 or page != 1 or per_page is None:
                    raise
                per_page = None  # the site allows smaller pages: take its own size
                continue
            items = _items(answer)
            if items is None:
                raise Unreadable(f"{self.base}{DIGESTS}: format daftar digest tidak dikenal")
            fresh = [i for i in items if not (isinstance(i, dict) and i.get("date") in dates)]
            if items and not fresh:
                raise Unreadable(f"{self.base}{DIGESTS}: halaman {page} mengulang halaman lain")
            found += items
            dates.update(i.get("date") for i in items if isinstance(i, dict))
            if _last_page(answer, items, len(found)):
                return found
            page += 1

    def digest(self, date: str):
        """One whole digest; None when the site says it has none of that date (404)."""
        return self._or_none(f"{DIGESTS}/{quote(str(date), safe='')}")

    def trail(self, chain: str) -> dict | None:
        """One chain's trail `{chain, entries, withheld}`; None when the site has no such
        chain (404)."""
        kind, _, public_id = chain.partition("/")
        path = TRAIL[kind].format(quote(public_id, safe=""))
        answer = self._or_none(path)
        if answer is not None and (
            not isinstance(answer, dict) or not isinstance(answer.get("entries"), list)
        ):
            raise Unreadable(f"{self.base}{path}: format jejak tidak dikenal")
        return answer

    def proof(self, chain: str) -> dict | None:
        """The inclusion proof of a chain's head in the latest digest that committed it; None
        when the site says no digest has (404)."""
        answer = self._or_none(PROOF, {"chain": chain})
        if answer is not None and not isinstance(answer, dict):
            raise Unreadable(f"{self.base}{PROOF}: jawaban bukan objek JSON")
        return answer

    def _or_none(self, path: str, params: dict | None = None):
        try:
            return self.get_json(path, params)
        except Unreadable as error:
            if error.status == 404:
                return None
            raise

    def trail_pages(self, kind: str, after: str | None = None):
        """The pages of every trail of a kind (`proposals`, `complaints`) in chain order, from
        the first chain after `after`: each a list of `{chain, entries, withheld}`."""
        path = TRAILS[kind]
        cursors = set()
        while True:
            params = {"limit": TRAILS_PAGE} | ({"after": after} if after is not None else {})
            answer = self.get_json(path, params)
            trails = answer.get("trails") if isinstance(answer, dict) else None
            following = answer.get("next") if isinstance(answer, dict) else None
            if not isinstance(trails, list) or not isinstance(following, str | None):
                raise Unreadable(f"{self.base}{path}: format halaman jejak tidak dikenal")
            yield trails
            if following is None:
                return
            if following in cursors:
                raise Unreadable(f"{self.base}{path}: kursor next berulang ({following})")
            cursors.add(following)
            after = following


def _read(request: Request, timeout: float):
    with urlopen(request, timeout=timeout) as answer:
        body = answer.read()
        if answer.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
    return json.loads(body)


def _backoff(attempt: int, retry_after: str | None = None) -> float:
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), 60.0)
    return 0.25 * 2**attempt


def _items(answer) -> list | None:
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        for name in ("items", "digests"):
            if isinstance(answer.get(name), list):
                return answer[name]
    return None


def _last_page(answer, items: list, seen: int) -> bool:
    """Whether the list is complete: an empty page, the total reached, or a page shorter than
    the page size the site says it uses."""
    if not items or not isinstance(answer, dict):
        return True
    total = answer.get("total")
    if isinstance(total, int):
        return seen >= total
    per_page = answer.get("per_page")
    if isinstance(per_page, int):
        return len(items) < per_page
    if isinstance(answer.get("pages"), int) and isinstance(answer.get("page"), int):
        return answer["page"] >= answer["pages"]
    return False
