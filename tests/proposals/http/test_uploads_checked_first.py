"""Uploads are checked before anything is written: a file refused (someone else's proposal, an
unknown one, a staff document of another agency, a field check by Kesra or BPKAD) leaves no
file in the blob store and no document on the proposal. Field checks are the responsible
agency's alone.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    blob_files,
    citizen,
    create_applicant,
    create_draft,
    declare,
    field_check,
    fresh_point,
    individual_body,
    submitted_proposal,
    unique_pdf,
    unique_png,
    upload,
)
from tests.support.factories import auth
from tests.support.snapshots import proposal_untouched, proposals_unchanged
from tests.support.web import web_login


@pytest.fixture(scope="module")
def evaluated(client, staff):
    """A DISPORA hibah waiting for its field check."""
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    assert act(client, staff["kesra"], proposal["public_id"], "complete").status_code == 200
    return owner | {"proposal": proposal}


def documents_of(client, token: str, public_id: str) -> list[dict]:
    response = client.get(f"/api/v1/proposals/{public_id}", headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["documents"]


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)


def test_uploads_to_someone_elses_or_an_unknown_proposal_store_nothing(client, blob_dir, platform):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    before_files = blob_files(blob_dir)
    before_documents = documents_of(client, owner["token"], pid)

    stranger = citizen(client)
    with proposals_unchanged(platform):
        refused = upload(client, stranger["token"], pid, "npwp", unique_pdf())
        assert refused.status_code == 403, refused.get_json()
        unknown = upload(client, stranger["token"], f"SO-{THIS_YEAR}-999999", "npwp", unique_pdf())
        assert unknown.status_code == 404, unknown.get_json()
        malformed = upload(client, stranger["token"], "bukan-nomor", "npwp", unique_pdf())
        assert malformed.status_code == 404
        # a refused caller's files are not even read: no 415 that would tell the check passed
        not_a_pdf = upload(client, stranger["token"], pid, "npwp", b"MZ\x90 bukan pdf", "a.pdf")
        assert not_a_pdf.status_code == 403
    assert blob_files(blob_dir) == before_files
    assert documents_of(client, owner["token"], pid) == before_documents

    # the owner's own upload at a stage that does not take it: refused, nothing stored either
    with proposal_untouched(platform, pid):
        pact = upload(client, owner["token"], pid, "pakta_integritas", unique_pdf())
        assert pact.status_code == 409
    assert blob_files(blob_dir) == before_files


def test_a_web_upload_to_someone_elses_proposal_stores_nothing(platform, client, blob_dir):
    owner = citizen(client)
    draft = create_draft(client, owner["token"], create_applicant(client, owner["token"])["id"])
    page_url = f"/saya/usulan/{draft['public_id']}"

    def post_file(browser, token: str):
        return browser.post(
            f"{page_url}/berkas",
            data={
                "csrf": token,
                "doc_type": "surat_permohonan",
                "files": [(io.BytesIO(unique_pdf()), "a.pdf")],
            },
            content_type="multipart/form-data",
        )

    stranger = platform.client
    web_login(stranger, citizen(client)["email"])
    before = blob_files(blob_dir)
    token = csrf_of(stranger.get("/saya").get_data(as_text=True))
    with proposal_untouched(platform, draft["public_id"]):
        refused = post_file(stranger, token)
        assert refused.status_code == 403
    assert blob_files(blob_dir) == before
    assert documents_of(client, owner["token"], draft["public_id"]) == []

    browser = platform.client
    web_login(browser, owner["email"])
    stored = post_file(browser, csrf_of(browser.get(page_url).get_data(as_text=True)))
    assert stored.status_code == 303
    assert len(blob_files(blob_dir) - before) == 1
    assert len(documents_of(client, owner["token"], draft["public_id"])) == 1


def test_kesra_and_bpkad_cannot_attach_field_check_photos(
    client, staff, blob_dir, evaluated, platform
):
    pid = evaluated["proposal"]["public_id"]
    declare(client, staff["tapd"], pid)  # BPKAD may declare on any proposal it will decide
    before_files = blob_files(blob_dir)
    before_documents = documents_of(client, evaluated["token"], pid)
    with proposal_untouched(platform, pid):
        for who in ("kesra", "tapd", "dinsos"):
            response = upload(
                client, staff[who]["token"], pid, "foto_verifikasi", unique_png(), "lokasi.png"
            )
            assert response.status_code in (403, 404), (who, response.get_json())
            recorded = client.post(
                f"/api/v1/proposals/{pid}/field-checks",
                json={
                    "checked_on": f"{THIS_YEAR}-06-01",
                    "findings": "Sekretariat tidak ditemukan.",
                },
                headers=auth(staff[who]["token"]),
            )
            assert recorded.status_code in (403, 404), (who, recorded.get_json())
    assert blob_files(blob_dir) == before_files
    assert documents_of(client, evaluated["token"], pid) == before_documents
    own = client.get(f"/api/v1/proposals/{pid}", headers=auth(staff["dispora"]["token"]))
    assert own.get_json()["field_checks"] == []

    # the responsible agency's verifier, once declared, records it
    declare(client, staff["dispora"], pid)
    checked = field_check(client, staff["dispora"], pid)
    assert [f["officer_agency"] for f in checked["field_checks"]] == ["DISPORA"]


def test_the_field_check_form_stores_no_photo_for_anyone_but_the_declared_verifier(
    platform, client, staff, blob_dir
):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    act(client, staff["kesra"], pid, "complete")
    declare(client, staff["tapd"], pid)  # a declaration is not what makes a field checker

    def post_check(who: str):
        browser = platform.client
        web_login(browser, staff[who]["email"])
        page = browser.get(f"/staf/usulan/{pid}").get_data(as_text=True)
        return browser.post(
            f"/staf/usulan/{pid}/pemeriksaan",
            data={
                "csrf": csrf_of(page),
                "checked_on": f"{THIS_YEAR}-06-01",
                "findings": "Diperiksa oleh petugas lain.",
                "photos": [(io.BytesIO(unique_png()), "lokasi.png")],
            },
            content_type="multipart/form-data",
        )

    before = blob_files(blob_dir)
    with proposal_untouched(platform, pid):
        for who in ("tapd", "kesra", "dispora_officer"):
            response = post_check(who)
            assert response.status_code == 403, (who, response.get_data(as_text=True)[:300])
        undeclared = post_check("dispora")  # the right verifier, before declaring no conflict
        assert undeclared.status_code == 409
    assert blob_files(blob_dir) == before
    private = client.get(f"/api/v1/proposals/{pid}", headers=auth(owner["token"])).get_json()
    assert [d for d in private["documents"] if d["doc_type"] == "foto_verifikasi"] == []
    assert private["field_checks"] == []

    declare(client, staff["dispora"], pid)
    assert post_check("dispora").status_code == 303
    assert len(blob_files(blob_dir) - before) == 1


def test_an_incident_report_is_uploaded_by_the_agency_that_handles_the_emergency(
    client, staff, blob_dir, platform
):
    point = fresh_point()
    body = {
        "beneficiary": individual_body(point),
        "reported_by": "Camat, laporan banjir",
        "budget_year": THIS_YEAR,
        "title": "Bantuan korban banjir",
        "purpose": "Bantuan darurat bagi keluarga terdampak banjir.",
        "category": "sosial",
        "requested_amount": 3_000_000,
        "cost_lines": [{"item": "Paket pangan", "amount": 3_000_000}],
        "lat": point["lat"],
        "lon": point["lon"],
    }
    opened = client.post(
        "/api/v1/proposals/emergency", json=body, headers=auth(staff["dinsos_officer"]["token"])
    )
    assert opened.status_code == 201, opened.get_json()
    pid = opened.get_json()["public_id"]
    before = blob_files(blob_dir)
    with proposal_untouched(platform, pid):
        for who in ("dispora_officer", "tapd"):
            response = upload(client, staff[who]["token"], pid, "laporan_kejadian", unique_pdf())
            assert response.status_code == 403, (who, response.get_json())
    assert blob_files(blob_dir) == before
    accepted = upload(
        client, staff["dinsos_officer"]["token"], pid, "laporan_kejadian", unique_pdf()
    )
    assert accepted.status_code == 201, accepted.get_json()
    assert len(blob_files(blob_dir) - before) == 1
