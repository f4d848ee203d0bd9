"""Serang Open's printable documents over HTTP: the berita acara of the field check, the NPHD
with the approved amount and the kuitansi of the disbursement, each an A4 PDF of the
proposal's own record (its number, its amounts in figures and in words) from the stage where
the document exists, for its applicant and the staff who may see it; the applicant's private
details only for those who may see them now; nobody else gets one.
"""

from __future__ import annotations

import re

import pytest

from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    citizen,
    declare,
    field_check,
    submitted_proposal,
)
from tests.support.factories import auth

DOCUMENTS = ("berita-acara", "nphd", "kuitansi")
A4 = (595.28, 841.89)  # points


def path(public_id: str, document: str) -> str:
    return f"/api/v1/proposals/{public_id}/print/{document}.pdf"


def fetch(client, token: str | None, public_id: str, document: str):
    return client.get(path(public_id, document), headers=auth(token) if token else {})


def pdf_text(response) -> str:
    """The text a PDF shows, its lines joined, after checking it is a whole PDF of A4 pages
    (its content streams are uncompressed, so what it prints can be read)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_data()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type /Page\b", data)
    tree = re.search(rb"/Count (\d+)\s*/Kids \[([^\]]*)\][^>]*/Type /Pages", data)
    assert pages and tree and int(tree.group(1)) == len(pages) == tree.group(2).count(b" R")
    for box in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data):
        assert (round(float(box[0]), 1), round(float(box[1]), 1)) == (595.3, 841.9)
    shown = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data)
    return " ".join(b" ".join(shown).decode("latin-1").replace("\\", "").split())


def refused(response, status: int, field: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"], response.get_json()


def ok(response) -> dict:
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


@pytest.fixture(scope="module")
def applicant(client):
    return citizen(client)


@pytest.fixture(scope="module")
def proposal(client, applicant):
    return submitted_proposal(client, applicant["token"], "hibah", requested_amount=75_500_000)


def test_each_document_prints_from_its_stage_with_the_number_and_the_amount_in_words(
    client, staff, applicant, proposal, admin
):
    pid, owner = proposal["public_id"], applicant["token"]
    account = proposal["applicant"]["bank_account_number"]
    for document in DOCUMENTS:  # submitted: none of them exists yet
        refused(
            fetch(client, owner, pid, document),
            409,
            "stage" if document != DOCUMENTS[0] else "document",
        )

    ok(act(client, staff["kesra"], pid, "complete"))
    declare(client, staff["dispora"], pid)
    field_check(client, staff["dispora"], pid)
    report = pdf_text(fetch(client, owner, pid, "berita-acara"))
    assert "BERITA ACARA VERIFIKASI LAPANGAN" in report and pid in report
    assert "PEMERINTAH KABUPATEN SERANG" in report and "DINAS PEMUDA DAN OLAHRAGA" in report
    assert (
        "Rp75.500.000" in report
        and "tujuh puluh lima juta lima ratus ribu rupiah" in report.lower()
    )
    assert "Sekretariat ada dan aktif" in report  # the findings recorded
    refused(fetch(client, owner, pid, "nphd"), 409, "stage")

    ok(act(client, staff["dispora"], pid, "recommend", amount=60_000_000))
    declare(client, staff["tapd"], pid)
    ok(act(client, staff["tapd"], pid, "accept", amount=55_000_000))
    decree = {"decree_number": f"SK Bupati 400.9/{pid}", "decree_date": f"{THIS_YEAR}-03-02"}
    ok(act(client, staff["kesra"], pid, "approve", amount=50_250_000, **decree))
    draft = pdf_text(fetch(client, staff["dispora_officer"]["token"], pid, "nphd"))
    assert "NASKAH PERJANJIAN HIBAH DAERAH" in draft and pid in draft and "draf" in draft
    assert (
        "Rp50.250.000" in draft
        and "lima puluh juta dua ratus lima puluh ribu rupiah" in draft.lower()
    )
    assert decree["decree_number"] in draft and account in draft
    refused(fetch(client, owner, pid, "kuitansi"), 409, "stage")

    nphd = {"nphd_number": f"NPHD/{pid}", "nphd_date": f"{THIS_YEAR}-03-10"}
    ok(act(client, staff["dispora_officer"], pid, "sign_agreement", integrity_pact=True, **nphd))
    signed = pdf_text(fetch(client, owner, pid, "nphd"))
    assert nphd["nphd_number"] in signed and "draf" not in signed
    asked = pdf_text(fetch(client, staff["tapd"]["token"], pid, "kuitansi"))  # BPKAD pays it now
    assert "KUITANSI" in asked and "Rp50.250.000" in asked and account in asked

    paid = {"disbursed_on": f"{THIS_YEAR}-04-01", "sp2d_ref": f"SP2D-{pid}-0001"}
    ok(act(client, staff["tapd"], pid, "disburse", amount=50_000_000, **paid))
    receipt = pdf_text(fetch(client, owner, pid, "kuitansi"))
    assert (
        pid in receipt and "Rp50.000.000" in receipt and "lima puluh juta rupiah" in receipt.lower()
    )
    assert account in receipt and paid["sp2d_ref"] in receipt
    assert nphd["nphd_number"] in receipt and proposal["applicant"]["name"] in receipt
    for document in DOCUMENTS:  # an admin prints every one of them
        assert pid in pdf_text(fetch(client, admin, pid, document))


def test_staff_who_may_not_see_the_applicant_now_get_the_documents_without_its_details(
    client, staff, proposal
):
    pid = proposal["public_id"]
    chair = proposal["applicant"]["responsible_people"][0]["name"]
    private = [
        proposal["applicant"]["bank_account_number"],
        proposal["applicant"]["address"],
        proposal["applicant"]["npwp"],
        chair,
        f"SP2D-{pid}-0001",
    ]
    for who in ("kesra", "tapd"):  # disbursed: neither acts on it any more
        for document in DOCUMENTS:
            text = pdf_text(fetch(client, staff[who]["token"], pid, document))
            assert pid in text and "(tidak ditampilkan)" in text
            assert not [value for value in private if value in text], (who, document)


def test_nobody_else_prints_and_an_unknown_document_is_named(client, staff, proposal):
    pid = proposal["public_id"]
    stranger = citizen(client)
    for document in DOCUMENTS:
        assert fetch(client, None, pid, document).status_code == 401
        assert fetch(client, stranger["token"], pid, document).status_code in (403, 404)
        assert fetch(client, staff["dinkes"]["token"], pid, document).status_code in (403, 404)
    assert fetch(client, stranger["token"], "SO-2000-999999", "nphd").status_code == 404
    refused(fetch(client, staff["kesra"]["token"], pid, "surat-sakti"), 422, "document")
