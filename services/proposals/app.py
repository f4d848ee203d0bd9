"""The proposals app's (Serang Open) manifest (registered in pyproject.toml, group `gawe.apps`)."""

from servicekit.apps import AppSpec, Section
from servicekit.opendata import CONTINUOUS, Dataset, Distribution
from servicekit.roles import DemoAccount, Role


def load_demo(context: dict) -> dict:
    """Fifteen demo proposals; the demo citizen acts for one demo organisation."""
    from services.proposals import demo

    citizen = context.get("accounts", {}).get("demo_citizen_id")
    argv = ["--owner-user-id", str(citizen)] if citizen is not None else []
    if demo.main(argv) != 0:
        raise SystemExit("the proposals demo failed")
    return {}


APP = AppSpec(
    name="proposals",
    service="services.proposals.service:ProposalsService",
    title="Serang Open (hibah dan bansos)",
    migrations="services.proposals:migrations",
    notifications="services.notifications.apps.proposals",
    map_layers="services.proposals.contract.maplayer:MAP_LAYERS",
    demo="services.proposals.app:load_demo",
    requires=("accounts",),
    calls=("gis",),
    uploads=True,
    trails=True,  # its public trail: docs/transparency.md
    # Inspektorat's auditors read every proposal's and every complaint report's private audit
    # log (complaints checks this role too) and nothing else: no agency (no desk, no agency's
    # letters or queue), a role no other check lets through
    roles=(Role("auditor", "Auditor (Inspektorat)", desk=False, home="/usulan"),),
    demo_accounts=(DemoAccount("inspektorat@gawe.example", "Auditor Inspektorat", "auditor"),),
    gateway=("gateway.proposals.rest",),
    pages={
        "nav": (Section("Serang Open", href="/usulan"),),
        "home": (
            Section(
                "Serang Open",
                text="Pengajuan hibah dan bansos secara daring, dapat dipantau publik di setiap tahap.",
                links=(("Lihat semua usulan dan jejak dananya", "/usulan"),),
            ),
        ),
        "saya": (Section(template="_my_proposals.html"),),
        "staf": (Section(template="_staff_proposals.html"),),
    },
    datasets=(
        Dataset(
            "serang-open-hibah-bansos",
            "Hibah dan bansos yang diberikan (Serang Open, 360Giving)",
            "Setiap hibah dan bantuan sosial sejak Keputusan Bupati: penerima (perorangan dengan "
            "inisial), jumlah yang diminta, diberikan dan dicairkan, tanggal, OPD, desa, dan "
            "status LPJ; JSON sesuai 360Giving Data Standard 1.4. CSV memuat semua usulan "
            "yang diajukan dengan nama kolom 360Giving.",
            ("hibah", "bansos", "360Giving", "anggaran"),
            CONTINUOUS,
            (
                Distribution(
                    "JSON",
                    "application/json",
                    "/api/v1/registry/grants.360g.json",
                    "Hibah dan bansos (360Giving JSON)",
                ),
                Distribution(
                    "CSV",
                    "text/csv",
                    "/api/v1/registry/proposals.csv",
                    "Semua usulan yang diajukan (CSV, kolom 360Giving)",
                ),
            ),
            "Keuangan daerah",
        ),
        Dataset(
            "serang-open-usulan",
            "Usulan hibah dan bansos yang belum diputuskan",
            "Usulan yang sudah diajukan tetapi belum (atau tidak) diberikan: jumlah yang "
            "diminta, tahap, OPD dan desa; perorangan dengan inisial.",
            ("hibah", "bansos", "usulan"),
            CONTINUOUS,
            (Distribution("JSON", "application/json", "/api/v1/registry/applications.json"),),
            "Keuangan daerah",
        ),
    ),
)
