"""The manifest of Kartu Kuning (registered in pyproject.toml, group `gawe.apps`): the AK/I
card of DISNAKER, the regency's manpower office."""

from servicekit.apps import AppSpec, Section
from servicekit.roles import Agency, DemoAccount


def load_demo(context: dict) -> dict:
    """The DISNAKER officer petugas.disnaker@gawe.example and applications in every state."""
    from services.jobcards import demo

    return demo.load(context)


APP = AppSpec(
    name="jobcards",
    service="services.jobcards.service:JobcardsService",
    title="Kartu Kuning",
    migrations="services.jobcards:migrations",
    notifications="services.jobcards.notifications",
    agencies=(Agency("DISNAKER", "Dinas Tenaga Kerja"),),
    demo="services.jobcards.app:load_demo",
    demo_accounts=(
        DemoAccount("petugas.disnaker@gawe.example", "Petugas DISNAKER", "officer", "DISNAKER"),
    ),
    requires=("accounts", "gis"),
    calls=("gis",),
    uploads=True,
    bench="services.jobcards.bench:rows",
    gateway=("gateway.jobcards.rest", "gateway.jobcards.pages"),
    pages={
        "nav": (Section("Kartu Kuning", href="/kartu-kuning"),),
        "home": (
            Section(
                "Kartu Kuning",
                text="Kartu pencari kerja (AK/I) dari DISNAKER: ajukan, cetak, dan cek keasliannya.",
                links=(("Tentang dan syarat", "/kartu-kuning"), ("Halaman saya", "/saya")),
            ),
        ),
        "saya": (Section(template="jobcards/_saya.html", order=30),),
        "staf": (Section(template="jobcards/_staf.html", order=30),),
    },
)
