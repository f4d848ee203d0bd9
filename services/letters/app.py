"""The manifest of Sisumaker (letters; registered in pyproject.toml, group `gawe.apps`): how
the platform finds, runs, migrates and shows this app."""

from servicekit.apps import AppSpec, Section
from servicekit.roles import DemoAccount, Role


def load_demo(context: dict) -> dict:
    """DPUPR's demo letters in every state, from its demo clerk, head and officer."""
    from services.letters import demo

    return demo.load(context)


APP = AppSpec(
    name="letters",
    service="services.letters.service:LettersService",
    title="Sisumaker (surat masuk dan disposisi)",
    migrations="services.letters:migrations",
    notifications="services.letters.notifications",
    roles=(Role("clerk", "Tata usaha"), Role("head", "Kepala perangkat daerah")),
    demo="services.letters.app:load_demo",
    demo_accounts=(
        DemoAccount("tu.dpupr@gawe.example", "Tata Usaha DPUPR", "clerk", "DPUPR"),
        DemoAccount("kepala.dpupr@gawe.example", "Kepala DPUPR", "head", "DPUPR"),
    ),
    requires=("accounts",),
    uploads=True,
    bench="services.letters.bench:rows",
    gateway=("gateway.letters.rest",),
    pages={"staf": (Section(template="letters/_staf.html"),)},
)
