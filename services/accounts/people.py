"""Users, staff and agencies: profiles, staff accounts, and contacts for notifications.

Plain functions behind AccountsService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.accounts import store
from services.accounts.contract import (
    STAFF_CREATED,
    AgencySchema,
    ContactSchema,
    ProfileUpdateSchema,
    StaffCreateSchema,
    StaffQuerySchema,
    UserPageSchema,
    UserSchema,
)
from services.accounts.desk import Desk
from services.accounts.domain import normalize_email, staff_problems
from services.accounts.models import User

log = logging.getLogger(__name__)


def get_user(desk: Desk, user_id: int) -> dict:
    """A user's own profile; admins may read anyone's."""
    desk.actor.require_login()
    if desk.actor.user_id != user_id and not desk.actor.has_role("admin"):
        raise Forbidden("Anda hanya dapat melihat profil Anda sendiri.")
    return UserSchema().dump(store.get_user(desk.db, user_id))


def update_profile(desk: Desk, payload: dict) -> dict:
    """The caller changes their own name or phone."""
    desk.actor.require_login()
    data = load(ProfileUpdateSchema(), payload)
    user = store.get_user(desk.db, desk.actor.user_id)
    for name in ("name", "phone"):
        if name in data:
            setattr(user, name, data[name] or None)
    desk.db.flush()
    return UserSchema().dump(user)


def set_staff_active(desk: Desk, user_id: int, active: bool) -> dict:
    """An admin deactivates (or reactivates) a staff account: it can no longer sign in and
    every session ends; nothing of it or its history is deleted. Not citizens' accounts, nor
    one's own. Its UserSchema and `sv`, its session version."""
    desk.actor.require_role("admin")
    user = store.get_user(desk.db, int(user_id))
    if not set(user.roles) - {"citizen"}:
        raise Conflict(NOT_STAFF, {"user_id": [NOT_STAFF]})
    if user.id == desk.actor.user_id:
        raise Conflict(NOT_YOURSELF, {"user_id": [NOT_YOURSELF]})
    now = datetime.now(UTC)
    user.is_active = bool(active)
    version = user.session_version
    if not active:
        store.end_password_resets(desk.db, user.id, now)
        version = store.end_sessions(desk.db, user.id, now)
    desk.db.flush()
    log.info(
        "staff account %s", "reactivated" if active else "deactivated", extra={"user_id": user.id}
    )
    return UserSchema().dump(user) | {"sv": version}


NOT_STAFF = "Hanya akun staf yang dapat dinonaktifkan atau diaktifkan kembali."
NOT_YOURSELF = "Anda tidak dapat menonaktifkan akun Anda sendiri."


def create_staff(desk: Desk, payload: dict) -> dict:
    """An admin creates a staff (ASN) account bound to an agency."""
    desk.actor.require_role("admin")
    data = load(StaffCreateSchema(), payload)
    agency_code = data["agency"].upper() if data.get("agency") else None
    errors = staff_problems(data["roles"], agency_code)
    agency = store.get_agency(desk.db, agency_code) if agency_code else None
    if agency_code and agency is None:
        errors["agency"] = [f"OPD dengan kode {agency_code} tidak dikenal."]
    if errors:
        raise Invalid("Data staf tidak valid.", errors)
    user = User(
        email=data["email"],
        email_key=normalize_email(data["email"]),
        name=data["name"],
        password_hash=desk.passwords.hash(data["password"]),
        nik=data.get("nik"),
        agency_id=agency.id if agency else None,
        agency=agency,
        created_at=datetime.now(UTC),
        created_by=desk.actor.user_id,
    )
    user.email_verified_at = user.created_at  # an admin vouches for a staff address
    store.create_user(desk.db, user, data["roles"])
    desk.outbox.add(
        STAFF_CREATED,
        user_id=user.id,
        roles=user.roles,
        agency=agency_code or "",
        created_by=desk.actor.user_id,
    )
    return UserSchema().dump(user)


def list_staff(desk: Desk, query: dict | None) -> dict:
    """Staff accounts, for admins, filtered by agency and role, paginated."""
    desk.actor.require_role("admin")
    params = load(StaffQuerySchema(), query)
    users, total = store.fetch_staff(desk.db, **params)
    return UserPageSchema().dump(
        {"items": users, "page": params["page"], "per_page": params["per_page"], "total": total}
    )


def list_agencies(desk: Desk) -> list[dict]:
    """Every agency (OPD) with its code and name: public knowledge."""
    return AgencySchema(many=True).dump(store.fetch_agencies(desk.db))


def contacts(desk: Desk, user_ids: list[int]) -> list[dict]:
    """Names and addresses of the given users (at most 1000), for notifications."""
    return [_contact(u) for u in store.fetch_users_by_ids(desk.db, list(user_ids)[:1000])]


def agency_staff(desk: Desk, agency: str, roles: list[str] | None) -> list[dict]:
    """Active staff of an agency (optionally with some roles), for notifications."""
    return [_contact(u) for u in store.fetch_agency_staff(desk.db, agency, roles or [])]


def registration_notice_contact(desk: Desk, notice_id: int) -> dict:
    """Whom to tell that the NIK of their sign-up belongs to another account (FiledBy)."""
    notice = store.get_notice(desk.db, int(notice_id))
    if notice.kind != "nik_taken" or not notice.email:
        raise NotFound("Pemberitahuan pendaftaran tidak ditemukan.")
    return {"user_id": None, "email": notice.email, "name": notice.name}


def _contact(user: User) -> dict:
    return ContactSchema().dump(
        {
            "user_id": user.id,
            "name": user.name,
            "email": user.email,
            "agency": user.agency.code if user.agency else None,
            "roles": user.roles,
        }
    )
