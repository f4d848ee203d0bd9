"""The accounts app's manifest (registered in pyproject.toml, group `gawe.apps`)."""

from servicekit.apps import AppSpec, Section
from servicekit.roles import PLATFORM_ROLES, Agency, DemoAccount

DEMO_CITIZEN = "warga@gawe.example"


def load_demo(context: dict) -> dict:
    """The demo accounts; the demo citizen's id lets other apps give it data of its own, and
    every demo account's id (by email) lets them give their demo staff work."""
    from services.accounts import demo

    if demo.main([]) != 0:
        raise SystemExit("the accounts demo failed")
    user_ids = {email: demo.user_id_of(email) for email, *_ in demo.DEMO_ACCOUNTS}
    return {"demo_citizen_id": user_ids[DEMO_CITIZEN], "user_ids": user_ids}


APP = AppSpec(
    name="accounts",
    service="services.accounts.service:AccountsService",
    title="Akun dan perangkat daerah",
    migrations="services.accounts:migrations",
    notifications="services.notifications.apps.accounts",
    roles=PLATFORM_ROLES,
    # the agencies (OPD) the platform started with (migration 0001); an app adds its own
    agencies=(
        Agency("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        Agency("DINSOS", "Dinas Sosial"),
        Agency("KESRA", "Bagian Kesejahteraan Rakyat Sekretariat Daerah"),
        Agency("DISPORA", "Dinas Pemuda dan Olahraga"),
        Agency("DISKOMINFOSATIK", "Dinas Komunikasi, Informatika, Persandian dan Statistik"),
        Agency("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
        Agency("DISPERKIM", "Dinas Perumahan Rakyat dan Kawasan Permukiman"),
        Agency("DISHUB", "Dinas Perhubungan"),
        Agency("DLH", "Dinas Lingkungan Hidup"),
        Agency("BPBD", "Badan Penanggulangan Bencana Daerah"),
        Agency("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan"),
        Agency("DINKES", "Dinas Kesehatan"),
    ),
    demo="services.accounts.app:load_demo",
    demo_accounts=(
        DemoAccount("admin@gawe.example", "Admin Gawe", "admin"),
        DemoAccount("kesra@gawe.example", "Verifikator Bagian Kesra", "verifier", "KESRA"),
        DemoAccount(
            "verifikator.dinsos@gawe.example", "Verifikator Dinas Sosial", "verifier", "DINSOS"
        ),
        DemoAccount("petugas.dpupr@gawe.example", "Petugas DPUPR", "officer", "DPUPR"),
        DemoAccount("tapd@gawe.example", "Tim Anggaran BPKAD", "budget_team", "BPKAD"),
        DemoAccount(DEMO_CITIZEN, "Warga Demo", "citizen"),
    ),
    gateway=("gateway.accounts.rest",),
    pages={"admin": (Section(template="_admin_staff.html"),)},
)
