"""The complaints app's manifest (registered in pyproject.toml, group `gawe.apps`)."""

from servicekit.apps import AppSpec, Section
from servicekit.opendata import CONTINUOUS, Dataset, Distribution


def load_demo(context: dict) -> dict:
    """Ten demo reports, three of them the demo citizen's, and the Open311 demo client."""
    from services.complaints import demo

    citizen = context.get("accounts", {}).get("demo_citizen_id")
    argv = ["--reporter-user-id", str(citizen)] if citizen is not None else []
    if demo.main(argv) != 0:
        raise SystemExit("the complaints demo failed")
    return {}


APP = AppSpec(
    name="complaints",
    service="services.complaints.service:ComplaintsService",
    title="Pengaduan",
    migrations="services.complaints:migrations",
    notifications="services.notifications.apps.complaints",
    map_layers="services.complaints.contract.maplayer:MAP_LAYERS",
    demo="services.complaints.app:load_demo",
    bench="bench.complaints:map_rows",  # the public map over 50,000 open reports
    requires=("accounts",),
    calls=("gis",),
    uploads=True,
    trails=True,  # its public trail: docs/transparency.md
    gateway=(
        "gateway.complaints.rest",
        "gateway.open311.rest",
        "gateway.complaints.alerts",  # issue 16: area alerts
        "gateway.complaints.public_data",  # issue 16: feed, statistics
        "gateway.complaints.public_pages",
        "gateway.complaints.moderation",
        "gateway.complaints.feedback",
        "gateway.complaints.audit",  # issue 17: the private audit log
    ),
    pages={
        "nav": (
            Section("Pengaduan", href="/pengaduan"),
            Section("Laporkan kerusakan", href="/pengaduan/baru"),
        ),
        "home": (
            Section(
                "Pengaduan",
                text="Laporkan jalan rusak dan infrastruktur lain; ikuti penanganannya oleh OPD terkait.",
                links=(
                    ("Laporkan kerusakan", "/pengaduan/baru"),
                    ("Lihat semua laporan", "/pengaduan"),
                ),
            ),
        ),
        "saya": (Section(template="_my_reports.html"),),
        "staf": (Section(template="_staff_complaints.html"),),
        "admin": (Section(template="_admin_complaints.html"),),
    },
    datasets=(
        Dataset(
            "pengaduan-infrastruktur",
            "Pengaduan infrastruktur (jalan rusak, lampu jalan, dan lainnya)",
            "Laporan warga yang dapat dilihat publik: kategori, status, OPD yang menangani, "
            "lokasi, tanggal, dan riwayat status; tanpa data pelapor. Open311 GeoReport v2 dan "
            "lapisan peta GeoJSON.",
            ("pengaduan", "jalan", "Open311", "infrastruktur"),
            CONTINUOUS,
            (
                Distribution(
                    "JSON",
                    "application/json",
                    "/open311/v2/requests.json",
                    "Laporan (Open311 GeoReport v2)",
                ),
                Distribution(
                    "GeoJSON",
                    "application/geo+json",
                    "/gis/collections/complaints/items?limit=1000",
                    "Laporan di peta (OGC API Features, GeoJSON)",
                ),
            ),
            "Infrastruktur",
        ),
        Dataset(
            "statistik-pengaduan",
            "Statistik pengaduan",
            "Laporan per OPD, per kategori dan per bulan, median hari kerja sampai selesai, dan "
            "bagian yang selesai dalam batas waktu layanan (SLA).",
            ("statistik", "pengaduan", "SLA"),
            CONTINUOUS,
            (
                Distribution("JSON", "application/json", "/api/v1/complaints/statistics"),
                Distribution("HTML", "text/html", "/pengaduan/statistik", "Halaman statistik"),
            ),
            "Statistik",
        ),
        Dataset(
            "umpan-pengaduan-kecamatan",
            "Laporan terbaru per kecamatan (Atom)",
            "Umpan Atom laporan publik terbaru di satu kecamatan (ganti kodenya, atau pakai "
            "desa=<kode>); contoh: Kecamatan Kramatwatu.",
            ("pengaduan", "Atom", "kecamatan"),
            CONTINUOUS,
            (
                Distribution(
                    "Atom", "application/atom+xml", "/pengaduan/feed.atom?kecamatan=36.04.05"
                ),
            ),
            "Infrastruktur",
        ),
    ),
)
