"""Eligibility on submit: each rule checked on its own, every failure reported with its reason.

Plain Python over plain values (no I/O): the service gathers the facts, these rules judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.proposals.contract.catalogue import (
    DOCUMENT_TYPES,
    HIBAH,
    INDIVIDUAL,
    LEGAL_ENTITY_FORMS,
    ORGANISATION,
)

DEFAULT_EXEMPT = (
    "KONI",
    "Komite Olahraga Nasional Indonesia",
    "PMI",
    "Palang Merah Indonesia",
    "Pramuka",
    "KORPRI",
    "Korps Pegawai Republik Indonesia",
)


@dataclass(frozen=True)
class Facts:
    kind: str
    budget_year: int
    applicant_kind: str
    applicant_name: str
    legal_form: str | None
    legal_entity_number: str | None
    domicile_inside: bool | None
    bank_account_number: str | None
    bank_account_name: str | None
    required_documents: tuple[str, ...]
    uploaded_documents: frozenset[str]  # those that count (completeness.py: there and valid)
    overdue_lpj: tuple[str, ...]  # public ids of the applicant's proposals with an overdue LPJ
    hibah_years: frozenset[int]  # budget years in which the applicant was awarded a hibah
    # why a missing standing document of the profile does not count: (document type, reason)
    document_reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Failure:
    rule: str
    message: str


def _normalise(name: str | None) -> str:
    name = (name or "").lower()
    name = re.sub(r"\b(pt|cv|yayasan|yys|perkumpulan)\b\.?", " ", name)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name).split())


def is_exempt(name: str, exempt: tuple[str, ...]) -> bool:
    """Bodies a law names (KONI, PMI, Pramuka, KORPRI...) may receive hibah every year."""
    words = f" {_normalise(name)} "
    return any(f" {_normalise(body)} " in words for body in exempt if _normalise(body))


def check(facts: Facts, exempt: tuple[str, ...] = DEFAULT_EXEMPT) -> list[Failure]:
    """Every rule the proposal fails, in a stable order; [] when it may be submitted."""
    failures: list[Failure] = []
    reasons = dict(facts.document_reasons)
    missing = [d for d in facts.required_documents if d not in facts.uploaded_documents]
    unexplained = [d for d in missing if d not in reasons]
    if unexplained:
        names = "; ".join(DOCUMENT_TYPES[d].name for d in unexplained)
        failures.append(Failure("dokumen", f"Dokumen belum diunggah: {names}."))
    for code in missing:
        if code in reasons:
            failures.append(
                Failure("dokumen", f"{DOCUMENT_TYPES[code].name} (profil lembaga): {reasons[code]}")
            )
    if facts.kind == HIBAH:
        if facts.applicant_kind == INDIVIDUAL:
            failures.append(
                Failure("jenis_pemohon", "Hibah hanya untuk lembaga/organisasi, bukan perorangan.")
            )
        else:
            if facts.domicile_inside is not True:
                failures.append(
                    Failure(
                        "domisili",
                        "Sekretariat lembaga harus berada di wilayah Kabupaten Serang.",
                    )
                )
            if (
                facts.legal_form not in LEGAL_ENTITY_FORMS
                or not (facts.legal_entity_number or "").strip()
            ):
                failures.append(
                    Failure(
                        "badan_hukum",
                        "Hibah kepada organisasi kemasyarakatan mensyaratkan badan hukum "
                        "(yayasan atau perkumpulan) dengan nomor pengesahan.",
                    )
                )
    failures += account_failures(
        facts.applicant_kind,
        facts.applicant_name,
        facts.bank_account_number,
        facts.bank_account_name,
    )
    if facts.overdue_lpj:
        failures.append(
            Failure(
                "lpj",
                "Masih ada LPJ yang terlambat: " + ", ".join(facts.overdue_lpj) + ". "
                "Selesaikan LPJ tersebut sebelum mengajukan usulan baru.",
            )
        )
    if facts.kind == HIBAH and not is_exempt(facts.applicant_name, exempt):
        neighbours = sorted(y for y in facts.hibah_years if abs(y - facts.budget_year) == 1)
        if neighbours:
            failures.append(
                Failure(
                    "hibah_berturut",
                    "Hibah tidak dapat diberikan kepada penerima yang sama secara berturut-turut "
                    f"(sudah menerima hibah tahun anggaran {', '.join(map(str, neighbours))}).",
                )
            )
    return failures


def account_failures(
    applicant_kind: str,
    applicant_name: str,
    bank_account_number: str | None,
    bank_account_name: str | None,
) -> list[Failure]:
    """The bank account rule: an organisation has an account, in its own name; a person's
    account, if given, is in their own name. Checked on submit and whenever the account or the
    name changes after submission."""
    has_account = bool((bank_account_number or "").strip())
    if applicant_kind == ORGANISATION and not has_account:
        return [Failure("rekening", "Rekening bank lembaga belum diisi.")]
    if has_account and _normalise(bank_account_name) != _normalise(applicant_name):
        message = (
            "Rekening bank harus atas nama lembaga sendiri, bukan atas nama pribadi."
            if applicant_kind == ORGANISATION
            else "Rekening bank harus atas nama pemohon sendiri, bukan atas nama orang lain."
        )
        return [Failure("rekening", message)]
    return []


def as_errors(failures: list[Failure]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for failure in failures:
        errors.setdefault(failure.rule, []).append(failure.message)
    return errors
