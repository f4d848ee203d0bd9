"""Open data of complaints (issue 16): the Atom feed of an area's public reports
(`/pengaduan/feed.atom?kecamatan=<code>` or `?desa=<code>`) and the public statistics as JSON
(`/api/v1/complaints/statistics`; the page is /pengaduan/statistik), and the reports' public
trails (issue 17, docs/transparency.md). Public facts only."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request

from gateway.access import PUBLIC, access
from gateway.api import endpoint, load_query, rpc
from servicekit.trail import TrailSchema, TrailsPageSchema, TrailsQuerySchema
from services.complaints.contract import ComplaintsClient, FeedQuerySchema, StatisticsSchema

blueprint = Blueprint("complaint_data", __name__)
complaints = ComplaintsClient(rpc)
ATOM = "http://www.w3.org/2005/Atom"


@blueprint.get("/pengaduan/feed.atom")
@access(PUBLIC)
def area_feed():
    """Atom feed of the newest public reports of a kecamatan or desa (by its code), newest
    first; 400 without exactly one of them, 422 naming the parameter for an unknown code."""
    query = load_query(FeedQuerySchema())
    level = "kecamatan" if query.get("kecamatan") else "desa"
    feed = complaints.area_feed(level, query[level])
    return Response(atom(feed, request.host_url.rstrip("/")), mimetype="application/atom+xml")


def atom(feed: dict, site: str) -> bytes:
    """The feed as Atom 1.0 (RFC 4287): public fields of each report only."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    where = f"{'Kecamatan' if feed['level'] == 'kecamatan' else 'Desa'} {feed['name']}"
    url = f"{site}/pengaduan/feed.atom?{feed['level']}={feed['code']}"
    _text(root, "id", f"{site}/pengaduan/feed/{feed['level']}/{feed['code']}")
    _text(root, "title", f"Laporan warga di {where} - Pemerintah Kabupaten Serang")
    _text(root, "subtitle", "Laporan kerusakan dan infrastruktur terbaru, tanpa data pribadi.")
    entries = feed["entries"]
    _text(root, "updated", entries[0]["updated_at"] if entries else _now())
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=url, type="application/atom+xml")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=f"{site}/pengaduan")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "Pemerintah Kabupaten Serang")
    for item in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        page = f"{site}/pengaduan/{item['public_id']}"
        _text(entry, "id", page)
        place = ", ".join(p for p in (item["desa"] and f"Desa {item['desa']}",) if p) or where
        _text(entry, "title", f"{item['public_id']}: {item['category_name']} di {place}")
        _text(entry, "published", item["requested_at"])
        _text(entry, "updated", item["updated_at"])
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page, type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}category", term=item["category_name"])
        summary = f"{item['status_label']} ({item['agency']}). {item['description']}"
        _text(entry, "summary", summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(parent, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@blueprint.get("/api/v1/complaints/statistics")
@endpoint(
    "Statistik pengaduan (publik)", tags=("Pengaduan",), response=StatisticsSchema, access=PUBLIC
)
def statistics():
    """Reports per agency, per category and per month of filing (WIB); the median working days
    from a report coming in to its fix reported done; the share resolved within the SLA (at
    most `sla_working_days` working days after coming in). The page: /pengaduan/statistik."""
    return complaints.statistics()


@blueprint.get("/api/v1/complaints/<complaint_id:public_id>/trail")
@endpoint(
    "Jejak publik satu laporan (rantai hash)",
    tags=("Pengaduan",),
    response=TrailSchema,
    errors=(404,),
    access=PUBLIC,
)
def trail(public_id):
    """The hash chain of a report's public steps, which anyone can recompute and compare with
    the signed daily digests (docs/transparency.md); a hidden report's entries keep their
    hashes with the data withheld."""
    return complaints.trail(public_id)


@blueprint.get("/api/v1/complaints/trails")
@endpoint(
    "Jejak publik semua laporan, per halaman",
    tags=("Pengaduan",),
    query=TrailsQuerySchema,
    response=TrailsPageSchema,
    access=PUBLIC,
)
def trails(query):
    """Every report's chain in chain order, `limit` chains a page; `next` is the `after` of the
    next page (null on the last). For verifiers such as `python -m gawe_verify`."""
    return complaints.trails(query)
