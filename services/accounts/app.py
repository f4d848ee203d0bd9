"""The accounts app's manifest (registered in pyproject.toml, group `gawe.apps`)."""

from servicekit.apps import AppSpec, Section
from servicekit.roles import ROLES

DEMO_CITIZEN = "warga@gawe.example"


def load_demo(context: dict) -> dict:
    """The demo accounts; the demo citizen's id lets other apps give it data of its own."""
    from services.accounts import demo

    if demo.main([]) != 0:
        raise SystemExit("the accounts demo failed")
    return {"demo_citizen_id": demo.user_id_of(DEMO_CITIZEN)}


APP = AppSpec(
    name="accounts",
    service="services.accounts.service:AccountsService",
    title="Akun dan perangkat daerah",
    migrations="services.accounts:migrations",
    notifications="services.notifications.apps.accounts",
    roles=ROLES,
    # the agencies (OPD) of the first migration: services/accounts/migrations/versions/0001
    agencies=(
        "DPUPR",
        "DINSOS",
        "KESRA",
        "DISPORA",
        "DISKOMINFOSATIK",
        "BPKAD",
        "DISPERKIM",
        "DISHUB",
        "DLH",
        "BPBD",
        "DINDIKBUD",
        "DINKES",
    ),
    demo="services.accounts.app:load_demo",
    gateway=("gateway.accounts.rest",),
    pages={"admin": (Section(template="_admin_staff.html"),)},
)
