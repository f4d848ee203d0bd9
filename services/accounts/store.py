"""Data access of the accounts service: named for what it does, no commits here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, NotFound
from services.accounts.domain import LoginPolicy, normalize_email
from services.accounts.models import (
    Agency,
    OneTimeLink,
    PasswordReset,
    RegistrationNotice,
    User,
    UserRole,
)


def fetch_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.code)))


def add_missing_agencies(session: Session, declared) -> list[str]:
    """Add the declared agencies (code, name) the table lacks; the codes added."""
    have = set(session.scalars(select(Agency.code)))
    missing = [a for a in declared if a.code not in have]
    session.add_all(Agency(code=a.code, name=a.name) for a in missing)
    session.flush()
    return [a.code for a in missing]


def get_agency(session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code.upper()))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(
            "Pengguna tidak ditemukan.", {"user_id": ["Tidak ada pengguna dengan id ini."]}
        )
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email_key == normalize_email(email)))


def taken_by(session: Session, email: str, nik: str | None) -> str | None:
    """Which of a sign-up's unique values another account holds: "email", "nik" or None."""
    if find_user_by_email(session, email) is not None:
        return "email"
    if nik and session.scalar(select(User.id).where(User.nik == nik)) is not None:
        return "nik"
    return None


def create_user(session: Session, user: User, roles: list[str]) -> User:
    """Insert a user; a taken email or NIK becomes a Conflict naming the field (never the
    driver's message, which quotes the values)."""
    if find_user_by_email(session, user.email) is not None:
        raise Conflict("Email sudah terdaftar.", {"email": ["Email ini sudah terdaftar."]})
    if user.nik and session.scalar(select(User.id).where(User.nik == user.nik)) is not None:
        raise Conflict("NIK sudah terdaftar.", {"nik": ["NIK ini sudah terdaftar pada akun lain."]})
    user.role_rows = [UserRole(role=role) for role in sorted(set(roles))]
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent registration won the race for the same email or NIK.
        session.rollback()
        raise Conflict(
            "Email atau NIK sudah terdaftar.", {"email": ["Email ini sudah terdaftar."]}
        ) from None
    return user


def fetch_staff(
    session: Session, agency: str | None, role: str | None, page: int, per_page: int
) -> tuple[list[User], int]:
    query = select(User).where(User.role_rows.any(UserRole.role != "citizen"))
    if agency:
        query = query.join(Agency, User.agency_id == Agency.id).where(Agency.code == agency.upper())
    if role:
        query = query.where(User.role_rows.any(UserRole.role == role))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    users = session.scalars(query.order_by(User.id).offset((page - 1) * per_page).limit(per_page))
    return list(users), total or 0


def fetch_users_by_ids(session: Session, user_ids: list[int]) -> list[User]:
    return list(session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.id)))


def fetch_agency_staff(session: Session, agency: str, roles: list[str]) -> list[User]:
    query = (
        select(User)
        .join(Agency, User.agency_id == Agency.id)
        .where(Agency.code == agency.upper(), User.is_active.is_(True))
    )
    if roles:
        query = query.where(User.role_rows.any(UserRole.role.in_(roles)))
    return list(session.scalars(query.order_by(User.id)))


# --- sign-in attempts and sessions ---------------------------------------------------------


def claim_login_attempt(session: Session, user: User, policy: LoginPolicy, now: datetime) -> bool:
    """Count one attempt on `user` before its password is checked, if no other attempt was
    counted since `user` was read (compare-and-swap on the counter and the lock); reaching the
    policy's threshold locks the account at once. False: a concurrent attempt came first."""
    failures, locked_until = policy.after_failure(user.failed_logins, now)
    values = {"failed_logins": failures, "last_failed_at": now}
    if locked_until is not None:
        values["locked_until"] = locked_until
    claimed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            User.failed_logins == user.failed_logins,
            User.locked_until.is_not_distinct_from(user.locked_until),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    user.failed_logins, user.last_failed_at = failures, now
    user.locked_until = locked_until or user.locked_until
    return True


def clear_login_failures(session: Session, user: User) -> None:
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=0, last_failed_at=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def end_sessions(session: Session, user_id: int, now: datetime) -> int:
    """Raise the user's session version (every token issued before stops working); the new one."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1, sessions_ended_at=now)
        .execution_options(synchronize_session=False)
    )
    version = session.scalar(select(User.session_version).where(User.id == user_id))
    if version is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return version


def sessions_ended_since(session: Session, since: datetime) -> list[tuple[int, int]]:
    """(user id, session version) of every user who signed out at or after `since`."""
    query = select(User.id, User.session_version).where(User.sessions_ended_at >= since)
    return [(row.id, row.session_version) for row in session.execute(query.order_by(User.id))]


# --- notices of sign-ups with a taken address or NIK -----------------------------------------


def recent_notice(session: Session, kind: str, email_key: str, since: datetime) -> bool:
    query = select(RegistrationNotice.id).where(
        RegistrationNotice.kind == kind,
        RegistrationNotice.email_key == email_key,
        RegistrationNotice.created_at >= since,
    )
    return session.scalar(query.limit(1)) is not None


def add_notice(session: Session, notice: RegistrationNotice, keep_since: datetime) -> None:
    """Record a notice, and forget those older than `keep_since` (their emails went long ago)."""
    session.execute(delete(RegistrationNotice).where(RegistrationNotice.created_at < keep_since))
    session.add(notice)
    session.flush()


def get_notice(session: Session, notice_id: int) -> RegistrationNotice:
    notice = session.get(RegistrationNotice, notice_id)
    if notice is None:
        raise NotFound("Pemberitahuan pendaftaran tidak ditemukan.")
    return notice


# --- links emailed to an account's owner (a new password, a proven address) ----------------


def add_link(session: Session, link: OneTimeLink) -> None:
    session.add(link)
    session.flush()


def get_link(session: Session, model: type[OneTimeLink], link_id: int) -> OneTimeLink | None:
    return session.get(model, link_id)


def count_links_since(session: Session, model: type[OneTimeLink], user_id: int, since) -> int:
    query = select(func.count(model.id)).where(model.user_id == user_id, model.created_at >= since)
    return session.scalar(query) or 0


def claim_link(session: Session, model: type[OneTimeLink], link_id: int, now: datetime) -> bool:
    """Mark a link used, unless a concurrent request used it first (False then)."""
    claimed = session.execute(
        update(model)
        .where(model.id == link_id, model.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def end_password_resets(session: Session, user_id: int, now: datetime) -> None:
    """Every link of the user still pending stops working (the password changed)."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
