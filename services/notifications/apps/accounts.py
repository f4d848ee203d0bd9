"""Accounts: what a sign-up that made no account says by email (its HTTP answer is the same as a
new account's, so that nobody learns from it whether an address or a NIK is registered):

- a sign-up with an address that has an account: the owner of that account, that someone tried
  (if it was them, sign in; if they forgot their password, whom to contact);
- a sign-up with a NIK another account holds: the address given, that it should contact the
  office (the NIK itself is never written in the email).

All essential (email only, preferences do not apply). The owner's address is asked of accounts
by user id; the address of a NIK notice by its id (FiledBy), never read from the payload.
"""

from __future__ import annotations

from services.accounts.contract import TAKEN_EMAIL, TAKEN_NIK  # (also puts them in the catalogue)
from services.notifications.contract.subscriptions import (
    Audience,
    ConcernedUser,
    FiledBy,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DefaultTemplate, add_templates

CATEGORY = "akun"
EMAIL_ONLY = ("email",)
HELP = "admin Gawe di Diskominfosatik Kabupaten Serang (bawa KTP Anda)"

subscribe(
    Subscription(
        event_type=TAKEN_EMAIL,
        category=CATEGORY,
        essential=True,
        audiences=(Audience("pemilik", ConcernedUser("user_id"), EMAIL_ONLY),),
    )
)
subscribe(
    Subscription(
        event_type=TAKEN_NIK,
        category=CATEGORY,
        essential=True,
        audiences=(
            Audience(
                "pendaftar",
                FiledBy("accounts", "registration_notice_contact", "notice_id"),
                EMAIL_ONLY,
            ),
        ),
    )
)

_SAMPLE = {
    "nama": "Siti Aminah",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}
_FOOTER = "\n\nEmail ini dikirim otomatis; mohon tidak membalas.\nPemerintah Kabupaten Serang"

add_templates(
    DefaultTemplate(
        TAKEN_EMAIL,
        "pemilik",
        "email",
        subject="Ada yang mendaftar dengan alamat email Anda",
        body_text=(
            "Yth. {nama},\n\n"
            "Pada {waktu} seseorang mencoba mendaftar di Gawe Kabupaten Serang dengan alamat "
            "email ini, yang sudah terdaftar untuk akun Anda. Tidak ada akun baru yang dibuat "
            "dan akun Anda tidak berubah.\n\n"
            "Jika itu Anda, silakan masuk di {alamat_situs}/masuk. Jika Anda lupa kata sandi, "
            "hubungi " + HELP + ".\n"
            "Jika bukan Anda, abaikan email ini." + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        TAKEN_NIK,
        "pendaftar",
        "email",
        subject="Pendaftaran Anda di Gawe Kabupaten Serang belum dapat diproses",
        body_text=(
            "Yth. {nama},\n\n"
            "Pada {waktu} alamat email ini dipakai untuk mendaftar di Gawe Kabupaten Serang. "
            "NIK yang diisikan sudah terdaftar pada akun lain, sehingga tidak ada akun yang "
            "dibuat.\n\n"
            "Jika NIK itu milik Anda, hubungi " + HELP + " agar dapat dibantu.\n"
            "Jika Anda tidak mendaftar, abaikan email ini." + _FOOTER
        ),
        sample=_SAMPLE,
    ),
)
