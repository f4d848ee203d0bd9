"""An applicant profile's web form, shared by /saya/pemohon/baru (a new profile) and
/saya/pemohon/<id>/ubah (its details changed): which fields each kind has, the API's body from
what was typed, the form's fields from a stored profile, and a refusal's messages placed next
to the fields they are about.

The body is what POST and PUT /api/v1/proposals/organisations|individuals take
(OrganisationSchema, IndividualSchema of services.proposals.contract); this module only turns
text into those types and back. A profile is replaced whole, so the form carries every field
the schema has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gateway.workspace.common import form_text
from services.proposals.contract import ORGANISATION, IndividualSchema, OrganisationSchema

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "legal_entity_number",
    "sk_kepengurusan",
    "established_on",
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
INDIVIDUAL_FIELDS = (
    "name",
    "nik",
    "address",
    "lat",
    "lon",
    "phone",
    "email",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
PERSON_FIELDS = ("name", "position", "nik", "phone")
PEOPLE = "responsible_people"
MOST_PEOPLE = 10  # OrganisationSchema takes 1 to 10 responsible people
NEW_PEOPLE = ((1, "Ketua"), (2, "Bendahara"))  # the rows a new profile's form offers


@dataclass
class TypedProfile:
    """What was typed, as the API's body; `rows` is the form's row of each responsible person
    in the body, in order (an empty row is left out, so the n-th person may sit on a later
    row)."""

    kind: str
    body: dict
    rows: list[int] = field(default_factory=list)

    @property
    def schema(self):
        return OrganisationSchema() if self.kind == ORGANISATION else IndividualSchema()


def typed_profile(kind: str) -> TypedProfile:
    """The profile of `kind` from the request's form: empty fields as None, and for an
    organisation every filled row of its responsible people (person<n>_name, _position,
    _nik, _phone); a row left wholly empty is no one."""
    if kind != ORGANISATION:
        return TypedProfile(kind, form_text(*INDIVIDUAL_FIELDS))
    body, rows, people = form_text(*ORGANISATION_FIELDS), [], []
    for row in range(1, MOST_PEOPLE + 1):
        person = form_text(*_person_keys(row))
        if any(person.values()):
            rows.append(row)
            people.append({k.split("_", 1)[1]: v for k, v in person.items()})
    body[PEOPLE] = people
    return TypedProfile(kind, body, rows)


def stored_values(applicant: dict) -> dict[str, str]:
    """The form's fields filled with a stored profile (ApplicantOutSchema), as text."""
    names = ORGANISATION_FIELDS if applicant["kind"] == ORGANISATION else INDIVIDUAL_FIELDS
    values = {name: _text(applicant.get(name)) for name in names}
    for row, person in enumerate(applicant.get(PEOPLE) or [], start=1):
        values |= {f"person{row}_{k}": _text(person.get(k)) for k in PERSON_FIELDS}
    return values


def people_rows(values: Mapping) -> list[tuple[int, str]]:
    """The rows of responsible people a profile's form offers to change: each one kept or
    typed, and one empty row more to add someone (at least two, at most MOST_PEOPLE); with
    no position suggested, so that emptying a row removes its person."""
    filled = [
        row
        for row in range(1, MOST_PEOPLE + 1)
        if any((values.get(key) or "").strip() for key in _person_keys(row))
    ]
    count = min(MOST_PEOPLE, max([2, *(row + 1 for row in filled)]))
    return [(row, "") for row in range(1, count + 1)]


def placed_errors(errors: Mapping | None, rows: list[int]) -> tuple[dict, dict[str, str]]:
    """A refusal's errors (a schema's or the service's, by field) for the page: the summary's,
    each responsible person's renumbered by the form's row it was typed on (its number in the
    body counts only filled rows), and each input's messages as one text by the input's name
    (person<n>_<field> for a person's; `responsible_people` for the list as a whole)."""
    summary, beside = dict(errors or {}), {}
    for key, messages in (errors or {}).items():
        if key == PEOPLE and isinstance(messages, Mapping):
            renumbered = {}
            for index, person_errors in messages.items():
                row = _row_of(index, rows)
                renumbered[row - 1] = person_errors
                if isinstance(person_errors, Mapping):
                    for name, said in person_errors.items():
                        beside[f"person{row}_{name}"] = _joined(said)
                else:
                    beside[f"person{row}_name"] = _joined(person_errors)
            summary[key] = renumbered
        else:
            beside[str(key)] = _joined(messages)
    return summary, beside


def _person_keys(row: int) -> tuple[str, ...]:
    return tuple(f"person{row}_{k}" for k in PERSON_FIELDS)


def _row_of(index, rows: list[int]) -> int:
    number = int(index)
    return rows[number] if 0 <= number < len(rows) else number + 1


def _joined(messages) -> str:
    if isinstance(messages, str):
        return messages
    if isinstance(messages, Mapping):
        return " ".join(_joined(m) for m in messages.values())
    return " ".join(_joined(m) for m in messages or ())


def _text(value) -> str:
    return "" if value is None else str(value)
