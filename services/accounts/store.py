"""Data access of the accounts service: named for what it does, no commits here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, NotFound
from services.accounts.domain import normalize_email
from services.accounts.models import Agency, User, UserRole


def fetch_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.code)))


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


def create_user(session: Session, user: User, roles: list[str]) -> User:
    """Insert a user; a taken email or NIK becomes a Conflict naming the field."""
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
