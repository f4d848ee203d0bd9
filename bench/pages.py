"""`make bench` rows for the weight of each main page (issue 13): its HTML, the style sheets
and scripts it links, in bytes as served (no tiles: the maps draw from our own OGC API), and the
same compressed with gzip (what a compressing proxy in front of the gateway would send). The
budget is 300 KB per page; each page is printed as a share of it.

Signed-in pages are fetched in a session signed in through /masuk as the demo account that has
them; a page that does not answer 200 (an app not installed) is left out and said so."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

BUDGET = 300 * 1024
PUBLIC = [
    "/",
    "/pengaduan",
    "/pengaduan/baru",
    "/usulan",
    "/peta",
    "/masuk",
    "/daftar",
    "/kartu-kuning",
    "/angka",
]
SIGNED_IN = {
    "/saya": "warga@gawe.example",
    "/staf": "petugas.dpupr@gawe.example",
    "/dasbor": "bupati@gawe.example",
}


class Assets(HTMLParser):
    """The style sheets and scripts a page links (not images: the budget is HTML, CSS, JS)."""

    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])


def signed_in(url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/masuk", timeout=30).text
    pra = re.search(r'name="pra" value="([^"]*)"', page)
    session.post(
        f"{url}/masuk",
        data={"email": email, "password": password, "pra": pra.group(1) if pra else "", "next": ""},
        timeout=30,
    )
    return session


def weigh(session: requests.Session, url: str, path: str) -> dict | None:
    response = session.get(url + path, timeout=30, allow_redirects=False)
    if response.status_code != 200:
        return None
    parser = Assets()
    parser.feed(response.text)
    row = {"path": path, "html": len(response.content), "css": 0, "js": 0, "gzip": 0}
    row["gzip"] += len(gzip.compress(response.content, 6))
    for kind, links in (("css", parser.css), ("js", parser.js)):
        for link in dict.fromkeys(links):
            target = urljoin(url + path, link)
            if urlsplit(target).netloc != urlsplit(url).netloc:
                raise SystemExit(f"{path} links {target}, outside the gateway")
            body = session.get(target, timeout=30).content
            row[kind] += len(body)
            row["gzip"] += len(gzip.compress(body, 6))
    row["total"] = row["html"] + row["css"] + row["js"]
    return row


def weights(url: str, password: str) -> list[dict]:
    url = url.rstrip("/")
    anonymous = requests.Session()
    rows, missing = [], []
    for path in PUBLIC:
        row = weigh(anonymous, url, path)
        (rows.append(row) if row else missing.append(path))
    for path, email in SIGNED_IN.items():
        row = weigh(signed_in(url, email, password), url, path)
        (rows.append(row) if row else missing.append(path))
    return rows + [{"path": path, "missing": True} for path in missing]


def print_weights(rows: list[dict]) -> None:
    print(
        f"\n{'page (HTML + CSS + JS)':<24}{'HTML KB':>9}{'CSS KB':>8}{'JS KB':>8}"
        f"{'total KB':>10}{'gzip KB':>9}{'of 300 KB':>11}"
    )
    for row in rows:
        if row.get("missing"):
            print(f"{row['path']:<24}  (not answering 200 here: left out)")
            continue
        print(
            f"{row['path']:<24}{row['html'] / 1024:>9.1f}{row['css'] / 1024:>8.1f}"
            f"{row['js'] / 1024:>8.1f}{row['total'] / 1024:>10.1f}{row['gzip'] / 1024:>9.1f}"
            f"{row['total'] / BUDGET:>11.1%}"
        )
    heaviest = max((r for r in rows if not r.get("missing")), key=lambda r: r["total"])
    verdict = "within" if heaviest["total"] < BUDGET else "OVER"
    print(
        f"heaviest page {heaviest['path']}: {heaviest['total'] / 1024:.1f} KB = "
        f"{heaviest['total'] / BUDGET:.1%} of the 300 KB budget ({verdict})"
    )
