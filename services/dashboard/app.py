"""The manifest of the leaders' dashboard (registered in pyproject.toml, group `gawe.apps`):
"Satu klik untuk semua", a read model of every app's events for the regent (role `leader`) and
admins at /dasbor, the same figures for everyone at /angka."""

from servicekit.apps import AppSpec, Section
from servicekit.opendata import CONTINUOUS, Dataset, Distribution
from servicekit.roles import DemoAccount, Role

APP = AppSpec(
    name="dashboard",
    service="services.dashboard.service:DashboardService",
    title="Dasbor pimpinan",
    migrations="services.dashboard:migrations",
    roles=(Role("leader", "Pimpinan daerah", desk=False, home="/dasbor"),),
    demo_accounts=(DemoAccount("bupati@gawe.example", "Bupati Serang", "leader"),),
    # its rebuild asks these apps for the events in their outboxes (outbox_events)
    calls=("complaints", "jobcards", "letters", "proposals"),
    bench="services.dashboard.bench:rows",
    gateway=("gateway.dashboard.rest", "gateway.dashboard.pages"),
    pages={
        "nav": (Section("Dasbor", href="/dasbor", roles=("leader", "admin")),),
        "home": (
            Section(
                "Angka Kabupaten Serang",
                text="Semua terbuka dan transparan: pengaduan, Serang Open, Kartu Kuning dan surat "
                "masuk dalam angka, diperbarui langsung.",
                links=(("Lihat angka", "/angka"),),
            ),
        ),
    },
    datasets=(
        Dataset(
            "angka-terbuka",
            "Angka terbuka layanan Kabupaten Serang",
            "Angka setiap layanan: pengaduan per status, kategori dan kecamatan, waktu "
            "penyelesaian, hibah dan bansos per tahap dan OPD dengan jumlahnya, Kartu Kuning "
            "dan surat; hanya hitungan dan jumlah, tanpa data pribadi.",
            ("statistik", "pengaduan", "hibah", "kartu kuning"),
            CONTINUOUS,
            (
                Distribution(
                    "JSON", "application/json", "/api/v1/dashboard/public", "Angka terbuka (JSON)"
                ),
                Distribution("HTML", "text/html", "/angka", "Angka terbuka (halaman)"),
            ),
            "Statistik",
        ),
    ),
)
