"""Roles and agencies (OPD) of the platform: plain data, importable by contracts.

The platform's own roles are below; an app adds roles and agencies in its manifest
(`AppSpec.roles`, `AppSpec.agencies`), and everything that lists them (the accounts service's
checks, the admin's staff form, the agencies table) reads `installed_roles()` and
`installed_agencies()`, so a new app needs no change elsewhere to bring a role or an agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Role:
    name: str  # as in tokens and `require_role`: lowercase, no spaces
    label: str  # Bahasa Indonesia, as staff and admins read it
    staff: bool = True  # a role of the government's staff (given by an admin), not a citizen's
    desk: bool = True  # a staff role works at an agency's desk (/staf); False: no agency's desk
    home: str | None = None  # where this role lands after signing in (None: /staf or /saya)


@dataclass(frozen=True)
class DemoAccount:
    """A demo login `make demo` creates (password DEMO_PASSWORD): an app names the staff its
    demo needs in its manifest (`AppSpec.demo_accounts`); the accounts demo makes them all."""

    email: str
    name: str
    role: str
    agency: str | None = None


@dataclass(frozen=True)
class Agency:
    code: str  # the OPD's short code, upper case: DPUPR, DISNAKER
    name: str  # its full name


PLATFORM_ROLES = (
    Role("citizen", "Warga", staff=False),
    Role("verifier", "Verifikator"),
    Role("officer", "Petugas"),
    Role("budget_team", "Tim anggaran (TAPD)"),
    Role("admin", "Admin"),
)
ROLES = tuple(r.name for r in PLATFORM_ROLES)
STAFF_ROLES = tuple(r.name for r in PLATFORM_ROLES if r.staff)


@cache
def installed_roles() -> tuple[Role, ...]:
    """The platform's roles, then those the installed apps add, each once (first wins)."""
    from servicekit.apps import installed_apps

    found: dict[str, Role] = {r.name: r for r in PLATFORM_ROLES}
    for spec in installed_apps():
        for role in spec.roles:
            if not isinstance(role, Role):
                raise TypeError(f"app {spec.name!r}: roles are servicekit.roles.Role, not {role!r}")
            found.setdefault(role.name, role)
    return tuple(found.values())


def staff_roles() -> tuple[str, ...]:
    """Every role an admin may give a staff account."""
    return tuple(r.name for r in installed_roles() if r.staff)


def role_label(name: str) -> str:
    return next((r.label for r in installed_roles() if r.name == name), name)


@cache
def installed_agencies() -> tuple[Agency, ...]:
    """Every agency the installed apps declare, each once, by code."""
    from servicekit.apps import installed_apps

    found: dict[str, Agency] = {}
    for spec in installed_apps():
        for agency in spec.agencies:
            if not isinstance(agency, Agency):
                raise TypeError(
                    f"app {spec.name!r}: agencies are servicekit.roles.Agency, not {agency!r}"
                )
            found.setdefault(agency.code, agency)
    return tuple(found.values())


def installed_demo_accounts() -> tuple[DemoAccount, ...]:
    """Every installed app's demo accounts, in manifest order, each email once (first wins)."""
    from servicekit.apps import installed_apps

    found: dict[str, DemoAccount] = {}
    for spec in installed_apps():
        for account in spec.demo_accounts:
            if not isinstance(account, DemoAccount):
                raise TypeError(
                    f"app {spec.name!r}: demo_accounts are DemoAccount, not {account!r}"
                )
            found.setdefault(account.email.lower(), account)
    return tuple(found.values())
