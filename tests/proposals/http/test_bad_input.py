"""Bad input gets a clear 4xx problem naming the field or the rule, and nothing accepted is lost."""

from __future__ import annotations

import pytest

from servicekit.errors import Invalid
from tests.proposals.conftest import (
    PDF,
    THIS_YEAR,
    act,
    citizen,
    create_applicant,
    create_draft,
    db_rows,
    declare,
    draft_body,
    open_rounds,
    organisation_body,
    submitted_proposal,
    upload,
    upload_checklist,
)
from tests.support.factories import auth
from tests.support.serang import KOTA_SERANG
from tests.support.snapshots import files_unchanged, proposals_unchanged
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def owner(client):
    person = citizen(client)
    person["organisation"] = create_applicant(client, person["token"])
    return person


def create(client, person, body):
    return client.post("/api/v1/proposals", json=body, headers=auth(person["token"]))


def submit(client, person, public_id):
    return client.post(
        f"/api/v1/proposals/{public_id}/submit", json={}, headers=auth(person["token"])
    )


def problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize(
    "amount, message",
    [(-5_000_000, "lebih dari nol"), (0, "lebih dari nol"), (1500.5, "bulat"), ("100", "bulat")],
)
def test_amounts_that_are_not_positive_whole_rupiah_are_refused(
    client, owner, amount, message, platform
):
    body = draft_body(owner["organisation"]["id"]) | {"requested_amount": amount}
    body["cost_lines"] = [{"item": "Semua", "amount": 10}]
    with proposals_unchanged(platform):
        found = problem(create(client, owner, body), 422)
    assert message in " ".join(found["errors"]["requested_amount"])


def test_an_amount_over_the_ceiling_is_refused(client, owner, platform):
    body = draft_body(owner["organisation"]["id"], requested_amount=2_000_000_001)
    with proposals_unchanged(platform):
        found = problem(create(client, owner, body), 422)
    assert "Rp2.000.000.000" in found["errors"]["requested_amount"][0]


def test_a_cost_breakdown_that_does_not_add_up_is_refused(client, owner, platform):
    body = draft_body(owner["organisation"]["id"], requested_amount=10_000_000)
    body["cost_lines"] = [{"item": "Sewa", "amount": 6_000_000}, {"item": "Konsumsi", "amount": 3}]
    with proposals_unchanged(platform):
        found = problem(create(client, owner, body), 422)
    assert "tidak sama" in found["errors"]["cost_lines"][0]


def test_a_location_outside_the_regency_is_refused(client, owner, platform):
    body = draft_body(owner["organisation"]["id"])
    body["lat"], body["lon"] = KOTA_SERANG
    with proposals_unchanged(platform):
        found = problem(create(client, owner, body), 422)
    assert {"lat", "lon"} <= set(found["errors"])


def test_a_category_of_another_kind_and_a_year_out_of_range_are_refused(client, owner, platform):
    with proposals_unchanged(platform):
        body = draft_body(owner["organisation"]["id"], category="bencana")  # bansos only
        found = problem(create(client, owner, body), 422)
        assert "category" in found["errors"]
        body = draft_body(owner["organisation"]["id"], budget_year=THIS_YEAR - 3)
        found = problem(create(client, owner, body), 422)
        assert "budget_year" in found["errors"]


def test_submitting_without_documents_lists_what_is_missing(client, owner, platform):
    draft = create_draft(client, owner["token"], owner["organisation"]["id"])
    upload(client, owner["token"], draft["public_id"], "surat_permohonan")
    with proposals_unchanged(platform):
        found = problem(submit(client, owner, draft["public_id"]), 422)
    assert set(found["errors"]) == {"dokumen"}
    assert "Rencana anggaran biaya" in found["errors"]["dokumen"][0]  # the proposal's own
    assert any("KTP ketua" in m and "profil lembaga" in m for m in found["errors"]["dokumen"])
    still = client.get(f"/api/v1/proposals/{draft['public_id']}", headers=auth(owner["token"]))
    assert still.get_json()["stage"] == "draft"
    assert [d["doc_type"] for d in still.get_json()["documents"]] == ["surat_permohonan"]


def test_a_file_that_is_not_a_pdf_or_image_is_refused_by_its_content(
    client, owner, platform, blob_dir
):
    draft = create_draft(client, owner["token"], owner["organisation"]["id"])
    with proposals_unchanged(platform), files_unchanged(blob_dir):
        found = problem(
            upload(
                client,
                owner["token"],
                draft["public_id"],
                "surat_permohonan",
                b"MZ\x90\x00 not a pdf",
                "a.pdf",
            ),
            415,
        )
        assert "files[0]" in found["errors"]
        found = problem(upload(client, owner["token"], draft["public_id"], "bukan_dokumen"), 422)
        assert "doc_type" in found["errors"]


def test_a_file_that_is_too_large_is_refused(client, owner, platform, blob_dir):
    draft = create_draft(client, owner["token"], owner["organisation"]["id"])
    big = PDF + b"0" * (5 * 1024 * 1024)
    with proposals_unchanged(platform), files_unchanged(blob_dir):
        found = problem(
            upload(client, owner["token"], draft["public_id"], "surat_permohonan", big), 413
        )
    assert "files[0]" in found["errors"]


def test_an_applicant_cannot_read_or_edit_another_applicants_proposal(
    client, owner, platform, blob_dir
):
    draft = create_draft(client, owner["token"], owner["organisation"]["id"])
    stranger = citizen(client)
    pid = draft["public_id"]
    problem(client.get(f"/api/v1/proposals/{pid}", headers=auth(stranger["token"])), 403)
    body = draft_body(owner["organisation"]["id"], title="Usulan yang diubah orang lain")
    with proposals_unchanged(platform), files_unchanged(blob_dir):
        problem(upload(client, stranger["token"], pid, "npwp"), 403)
        problem(
            client.put(f"/api/v1/proposals/{pid}", json=body, headers=auth(stranger["token"])), 403
        )
        problem(submit(client, stranger, pid), 403)
        # nor use another's organisation for a draft of their own: it does not exist for them
        problem(create(client, stranger, body), 404)
    mine = client.get("/api/v1/proposals/mine", headers=auth(stranger["token"])).get_json()
    assert mine["total"] == 0
    assert client.get(f"/api/v1/proposals/{pid}").status_code == 401


def test_transitions_out_of_order_or_by_the_wrong_role_or_agency_are_refused(
    client, staff, owner, platform
):
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    with proposals_unchanged(platform):
        found = problem(act(client, staff["kesra"], pid, "approve", amount=1), 409)
        assert "stage" in found["errors"]
        found = problem(act(client, staff["tapd"], pid, "complete"), 403)
        assert "roles" in found["errors"]
        assert problem(act(client, owner, pid, "complete"), 403)
        problem(act(client, staff["kesra"], pid, "return"), 422)  # a return needs what to fix
    assert act(client, staff["kesra"], pid, "complete").status_code == 200
    with proposals_unchanged(platform):
        # a verifier of another OPD cannot evaluate DISPORA's proposal
        found = problem(act(client, staff["dinkes"], pid, "recommend", amount=1), 403)
        assert "agency" in found["errors"]
        # the right verifier must first declare, then record a field check
        found = problem(act(client, staff["dispora"], pid, "recommend", amount=1), 409)
        assert "declaration" in found["errors"]
    declare(client, staff["dispora"], pid)
    with proposals_unchanged(platform):
        found = problem(act(client, staff["dispora"], pid, "recommend", amount=1), 409)
        assert "field_check" in found["errors"]
    state = client.get(f"/api/v1/registry/proposals/{pid}").get_json()
    assert state["stage"] == "evaluation"


def test_a_recommendation_above_the_request_is_refused(client, staff, owner, platform, blob_dir):
    from tests.proposals.conftest import field_check

    proposal = submitted_proposal(client, owner["token"], "hibah", requested_amount=30_000_000)
    pid = proposal["public_id"]
    act(client, staff["kesra"], pid, "complete")
    declare(client, staff["dispora"], pid)
    field_check(client, staff["dispora"], pid)
    with proposals_unchanged(platform), files_unchanged(blob_dir):
        scan = problem(upload(client, staff["dispora"]["token"], pid, "foto_verifikasi"), 415)
        assert "files[0]" in scan["errors"]  # a field check photo is a photo, not a PDF
        found = problem(act(client, staff["dispora"], pid, "recommend", amount=30_000_001), 422)
        assert "Rp30.000.000" in found["errors"]["amount"][0]
        problem(act(client, staff["dispora"], pid, "recommend", amount=1.5), 422)
        problem(act(client, staff["dispora"], pid, "recommend"), 422)


def test_a_recused_verifier_cannot_act(client, staff, admin, owner, platform):
    from tests.proposals.conftest import make_staff

    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    act(client, staff["kesra"], pid, "complete")
    relative = make_staff(client, admin, "verifier", "DISPORA")
    with proposals_unchanged(platform):
        problem(
            client.post(
                f"/api/v1/proposals/{pid}/declarations",
                json={"decision": "recused"},
                headers=auth(relative["token"]),
            ),
            422,
        )
    declare(client, relative, pid, "recused", "Ketua lembaga adalah kakak saya.")
    with proposals_unchanged(platform):
        found = problem(act(client, relative, pid, "not_recommend", note="x"), 403)
        assert "declaration" in found["errors"]
        problem(
            client.post(
                f"/api/v1/proposals/{pid}/declarations",
                json={"decision": "no_conflict"},
                headers=auth(relative["token"]),
            ),
            409,
        )
    log = client.get(f"/api/v1/proposals/{pid}/audit", headers=auth(staff["kesra"]["token"]))
    assert "recused" in [e["data"].get("decision") for e in log.get_json()["entries"]]


def test_eligibility_is_reported_rule_by_rule(client, platform):
    person = citizen(client)
    body = organisation_body(
        legal_form="ormas", legal_entity_number=None, bank_account_name="Budi Santoso"
    )
    body["lat"], body["lon"] = KOTA_SERANG  # the secretariat is in Kota Serang, not the regency
    response = client.post(
        "/api/v1/proposals/organisations", json=body, headers=auth(person["token"])
    )
    assert response.status_code == 201
    assert response.get_json()["domicile_inside"] is False
    draft = create_draft(client, person["token"], response.get_json()["id"])
    upload_checklist(client, person["token"], draft)
    with proposals_unchanged(platform):
        found = problem(submit(client, person, draft["public_id"]), 422)
    assert set(found["errors"]) == {"domisili", "badan_hukum", "rekening"}
    assert "atas nama lembaga" in found["errors"]["rekening"][0]


def test_an_overdue_lpj_blocks_the_next_application_until_settled(client, platform, owner, admin):
    proposal = submitted_proposal(client, owner["token"], "hibah")
    url = platform.config["PROPOSALS_DATABASE_URL"]
    # As if granted and paid last year (the stages before are covered by the lifecycle test).
    db_rows(
        url,
        "UPDATE proposals SET stage = 'disbursed', lpj_due = :due WHERE public_id = :p",
        due=f"{THIS_YEAR - 1}-01-10",
        p=proposal["public_id"],
    )
    wait_until(
        lambda: (
            client.get(f"/api/v1/registry/proposals/{proposal['public_id']}").get_json()["stage"]
            == "lpj_overdue"
        ),
        timeout=10,
    )
    organisation = proposal["applicant"]["id"]
    open_rounds(client, admin, years=(THIS_YEAR + 2,))
    draft = create_draft(
        client, owner["token"], organisation, kind="hibah", budget_year=THIS_YEAR + 2
    )
    upload_checklist(client, owner["token"], draft)
    with proposals_unchanged(platform):
        found = problem(submit(client, owner, draft["public_id"]), 422)
    assert proposal["public_id"] in found["errors"]["lpj"][0]


def test_no_hibah_in_consecutive_years_unless_the_body_is_exempt(client, platform):
    url = platform.config["PROPOSALS_DATABASE_URL"]
    for name, refused in (("Yayasan Pelita Desa", True), ("KONI Kabupaten Serang", False)):
        person = citizen(client)
        body = organisation_body(name=name, bank_account_name=name)
        organisation = client.post(
            "/api/v1/proposals/organisations", json=body, headers=auth(person["token"])
        ).get_json()
        earlier = create_draft(client, person["token"], organisation["id"])
        db_rows(
            url,
            "UPDATE proposals SET stage = 'approved', submitted_at = created_at WHERE public_id = :p",
            p=earlier["public_id"],
        )
        draft = create_draft(client, person["token"], organisation["id"], budget_year=THIS_YEAR + 1)
        upload_checklist(client, person["token"], draft)
        if refused:
            with proposals_unchanged(platform):
                response = submit(client, person, draft["public_id"])
            assert "hibah_berturut" in problem(response, 422)["errors"]
        else:
            response = submit(client, person, draft["public_id"])
            assert response.status_code == 200, response.get_json()


def test_registry_filters_are_checked(client):
    problem(client.get("/api/v1/registry/proposals?stage=bogus"), 400)
    problem(client.get("/api/v1/registry/proposals?kind=pinjaman"), 400)
    problem(client.get("/api/v1/registry/proposals?per_page=1000"), 400)
    problem(client.get("/api/v1/registry/proposals?nik=1"), 400)


def test_the_service_itself_refuses_a_field_check_photo_that_is_not_an_image(platform, client):
    """On the bus, as another gateway or app would call it: the rule is the service's."""
    owner = citizen(client)
    pid = submitted_proposal(client, owner["token"], "hibah")["public_id"]
    scan = {
        "key": "proposals/bukan-foto",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": "0" * 64,
        "filename": "scan.pdf",
    }
    verifier = {"user_id": 990001, "roles": ["verifier"], "agency": "DISPORA"}
    with proposals_unchanged(platform), pytest.raises(Invalid) as refused:
        platform.app.extensions["gawe_rpc"].call(
            "proposals",
            "add_documents",
            pid,
            "foto_verifikasi",
            [scan],
            context={"request_id": "uji-foto", "actor": verifier},
        )
    assert "files" in refused.value.errors
