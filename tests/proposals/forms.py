"""An applicant profile as a browser sends it from its web form (/saya/pemohon/baru and
/saya/pemohon/<id>/ubah): the API's body, or a profile as the API answers it, as the form's
text fields, each responsible person on a row of its own (person<n>_name, ...)."""

from __future__ import annotations

PROFILE_KEYS = (
    "name",
    "legal_form",
    "legal_entity_number",
    "sk_kepengurusan",
    "established_on",
    "nik",
    "address",
    "lat",
    "lon",
    "phone",
    "email",
    "npwp",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
PERSON_KEYS = ("name", "position", "nik", "phone")


def profile_form(profile: dict, **changes: str) -> dict[str, str]:
    """The form's fields of `profile` (a key its kind lacks is left for the form to ignore),
    then `changes` over them."""
    form = {k: "" if profile[k] is None else str(profile[k]) for k in PROFILE_KEYS if k in profile}
    for row, person in enumerate(profile.get("responsible_people") or [], start=1):
        form |= {f"person{row}_{k}": person.get(k) or "" for k in PERSON_KEYS}
    return form | changes
