"""Accounts: what a sign-up that made no account says by email (its HTTP answer is the same as a
new account's, so that nobody learns from it whether an address or a NIK is registered):

- a sign-up with an address that has an account: the owner of that account, that someone tried
  (if it was them, sign in; if they forgot their password, whom to contact);
- a sign-up with a NIK another account holds: the address given, that it should contact the
  office (the NIK itself is never written in the email).

and a link to set a new password, asked for on /lupa-sandi (to the account's owner; the link's
token is made by accounts when asked for the email's values, never carried by the event);
and a link to verify the address of a new account (at sign-up, or asked again), made alike.

All essential (email only, preferences do not apply). The owner's address is asked of accounts
by user id; the address of a NIK notice and a password link by its id (FiledBy), never read from
the payload.
"""

from __future__ import annotations

# (importing the names also puts the events in the catalogue)
from services.accounts.contract import (
    EMAIL_VERIFICATION_REQUESTED,
    PASSWORD_RESET_REQUESTED,
    TAKEN_EMAIL,
    TAKEN_NIK,
)
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

subscribe(
    Subscription(
        event_type=PASSWORD_RESET_REQUESTED,
        category=CATEGORY,
        essential=True,
        audiences=(
            Audience(
                "pemilik",
                FiledBy("accounts", "password_reset_contact", "reset_id"),
                EMAIL_ONLY,
            ),
        ),
    )
)

subscribe(
    Subscription(
        event_type=EMAIL_VERIFICATION_REQUESTED,
        category=CATEGORY,
        essential=True,
        audiences=(
            Audience(
                "pemilik",
                FiledBy("accounts", "email_verification_contact", "verification_id"),
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
            "buat kata sandi baru di {alamat_situs}/lupa-sandi.\n"
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
    DefaultTemplate(
        PASSWORD_RESET_REQUESTED,
        "pemilik",
        "email",
        subject="Atur ulang kata sandi akun Gawe Anda",
        body_text=(
            "Yth. {nama},\n\n"
            "Pada {waktu} ada permintaan untuk mengatur ulang kata sandi akun Gawe Kabupaten "
            "Serang dengan alamat email ini. Untuk membuat kata sandi baru, buka tautan ini:\n\n"
            "{alamat_situs}/atur-ulang-sandi?token={token_sandi}\n\n"
            "Tautan ini berlaku satu jam dan hanya dapat dipakai sekali. Setelah kata sandi "
            "diganti, semua sesi akun Anda berakhir dan Anda perlu masuk kembali.\n"
            "Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak berubah."
            + _FOOTER
        ),
        sample=_SAMPLE | {"token_sandi": "123.contoh-token"},
    ),
    DefaultTemplate(
        EMAIL_VERIFICATION_REQUESTED,
        "pemilik",
        "email",
        subject="Verifikasi alamat email akun Gawe Anda",
        body_text=(
            "Yth. {nama},\n\n"
            "Terima kasih telah mendaftar di Gawe Kabupaten Serang. Untuk memastikan alamat "
            "email ini milik Anda, buka tautan ini:\n\n"
            "{alamat_situs}/verifikasi-email?token={token_verifikasi}\n\n"
            "Tautan ini berlaku tujuh hari dan hanya dapat dipakai sekali. Pengajuan hibah/bansos "
            "dan kartu pencari kerja (AK/1) baru dapat dilakukan setelah email diverifikasi.\n"
            "Jika Anda tidak mendaftar, abaikan email ini." + _FOOTER
        ),
        sample=_SAMPLE | {"token_verifikasi": "123.contoh-token"},
    ),
)
