"""HTTP-only shapes of the accounts endpoints (bodies come from services.accounts.contract)."""

from marshmallow import Schema, fields

from services.accounts.contract import ClaimsSchema

REGISTRATION_ACCEPTED = (
    "Pendaftaran diterima. Periksa email Anda: bila ada yang perlu Anda ketahui tentang "
    "pendaftaran ini, kami kirim ke sana. Lalu masuk dengan email dan kata sandi Anda."
)


class RegistrationAcceptedSchema(Schema):
    """The answer to every well-formed sign-up, whether or not the account was new."""

    detail = fields.String(metadata={"example": REGISTRATION_ACCEPTED})
    email = fields.String(
        metadata={"description": "alamat yang diisikan", "example": "siti@example.id"}
    )


class TokenSchema(Schema):
    access_token = fields.String(
        metadata={"description": "JWT (HS256); kirim sebagai 'Authorization: Bearer <token>'"}
    )
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "masa berlaku dalam detik"})
    user = fields.Nested(ClaimsSchema(exclude=("sv",)))


PASSWORD_RESET_SENT = (
    "Jika alamat ini terdaftar, kami kirim tautan untuk mengatur ulang kata sandi ke sana. "
    "Tautan berlaku satu jam. Periksa juga folder spam."
)
EMAIL_VERIFIED = "Alamat email Anda sudah diverifikasi. Masuk kembali agar sesi Anda mengetahuinya."
VERIFICATION_SENT = (
    "Kami kirim tautan verifikasi ke alamat email akun Anda. Periksa juga folder spam."
)
ALREADY_VERIFIED = "Alamat email Anda sudah diverifikasi."
LINKS_WAITING = (
    "Tidak ada tautan baru yang dikirim: sudah lima tautan verifikasi terkirim dalam seminggu "
    "terakhir dan belum dipakai. Buka tautan terbaru di email Anda (periksa juga folder spam), "
    "atau minta lagi setelah beberapa hari."
)


def verification_answer(answer: dict) -> str:
    """What asking for a new address link did, in words (the API's and /saya/akun's)."""
    if answer["verified"]:
        return ALREADY_VERIFIED
    return VERIFICATION_SENT if answer.get("sent", True) else LINKS_WAITING


PASSWORD_RESET_DONE = "Kata sandi sudah diganti. Semua sesi akun ini berakhir; silakan masuk."


class DetailSchema(Schema):
    """An answer that only says, in words, what happened."""

    detail = fields.String(metadata={"example": PASSWORD_RESET_SENT})
