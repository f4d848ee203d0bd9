"""Serang Open end to end over HTTP with every real service: a hibah and a bansos through every
stage, the emails each decision sends, the public registry at each stage (nothing private in
any public response), the audit chain (and that a row changed in the database is detected),
a rejected path and a returned-and-resubmitted path.
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid

from services.proposals.contract.catalogue import STANDING_KINDS, proposal_documents
from services.proposals.contract.stages import STAGE_LABELS, TRANSITIONS
from tests.proposals.conftest import (
    PDF,
    THIS_YEAR,
    act,
    assert_nothing_private,
    citizen,
    create_applicant,
    create_draft,
    db_rows,
    declare,
    emails_about,
    field_check,
    fresh_point,
    nik,
    png,
    private_values,
    registry_item,
    submitted_proposal,
    upload,
    upload_checklist,
    upload_standing,
    validity,
)
from tests.support.factories import auth
from tests.support.snapshots import proposal_untouched, proposals_unchanged
from tests.support.waiting import wait_until


def check_public(client, proposal: dict, stage: str) -> dict:
    """The registry shows the stage; no public response carries a private value."""
    item = registry_item(client, proposal["public_id"])
    assert item is not None and item["stage"] == stage, item
    assert_nothing_private(client, proposal)
    return item


def step(client, who, public_id: str, action: str, **extra) -> dict:
    response = act(client, who, public_id, action, **extra)
    assert response.status_code == 200, (action, response.get_json())
    return response.get_json()


def run_to_lpj_verified(client, staff, applicant_token, proposal, verifier, officer, amounts):
    """Every stage after submission, checking the registry after each; returns the last view."""
    disbursed = run_to_disbursed(client, staff, proposal, verifier, officer, amounts)
    pid = proposal["public_id"]
    assert upload(client, applicant_token, pid, "lpj_laporan").status_code == 201
    lpj = client.post(f"/api/v1/proposals/{pid}/lpj", json={}, headers=auth(applicant_token))
    assert lpj.status_code == 200, lpj.get_json()
    check_public(client, disbursed, "lpj_submitted")

    final = step(client, verifier, pid, "verify_lpj", note="LPJ lengkap dan sesuai.")
    item = check_public(client, final, "lpj_verified")
    assert item["lpj_status"] == "diverifikasi"
    return final


def run_to_disbursed(client, staff, proposal, verifier, officer, amounts):
    """From submitted to disbursed, checking the registry after each stage."""
    pid = proposal["public_id"]
    recommended, accepted, approved = amounts
    step(client, staff["kesra"], pid, "complete", note="Berkas administrasi lengkap.")
    check_public(client, proposal, "evaluation")

    declare(client, verifier, pid)
    field_check(client, verifier, pid)
    step(client, verifier, pid, "recommend", amount=recommended, note="Layak, dengan penyesuaian.")
    item = check_public(client, proposal, "recommended")
    assert item["recommended_amount"] == recommended

    declare(client, staff["tapd"], pid)
    step(client, staff["tapd"], pid, "accept", amount=accepted)
    check_public(client, proposal, "accepted")

    step(
        client,
        staff["kesra"],
        pid,
        "approve",
        amount=approved,
        decree_number=f"SK Bupati 400.9/{pid}",
        decree_date=f"{THIS_YEAR}-03-02",
    )
    item = check_public(client, proposal, "approved")
    assert item["approved_amount"] == approved and item["decree_number"].startswith("SK Bupati")

    step(
        client,
        officer,
        pid,
        "sign_agreement",
        nphd_number=f"NPHD/{pid}",
        nphd_date=f"{THIS_YEAR}-03-10",
        integrity_pact=True,
    )
    check_public(client, proposal, "agreement_signed")

    disbursed = step(
        client,
        staff["tapd"],
        pid,
        "disburse",
        amount=approved,
        disbursed_on=f"{THIS_YEAR}-04-01",
        sp2d_ref=f"SP2D-{pid}-0001",
    )
    assert disbursed["lpj_due"] == f"{THIS_YEAR + 1}-01-10"
    item = check_public(client, disbursed, "disbursed")
    assert item["disbursed_amount"] == approved and item["lpj_status"] == "menunggu"
    return disbursed


STAGES_OF_A_FULL_RUN = [
    "submitted",
    "evaluation",
    "recommended",
    "accepted",
    "approved",
    "agreement_signed",
    "disbursed",
    "lpj_submitted",
    "lpj_verified",
]


def test_a_hibah_goes_through_every_stage_in_public_view(client, staff, smtp, platform):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah", requested_amount=150_000_000)
    pid = proposal["public_id"]
    assert proposal["agency"] == "DISPORA" and proposal["stage"] == "submitted"
    item = check_public(client, proposal, "submitted")
    assert item["recipient_name"] == proposal["applicant"]["name"]  # organisations by name

    final = run_to_lpj_verified(
        client,
        staff,
        applicant["token"],
        proposal,
        staff["dispora"],
        staff["dispora_officer"],
        (120_000_000, 110_000_000, 100_000_000),
    )
    assert [e["to_stage"] for e in final["timeline"]] == STAGES_OF_A_FULL_RUN
    assert {e["actor"] for e in final["timeline"]} == {"Pemohon", "KESRA", "DISPORA", "BPKAD"}

    public = client.get(f"/api/v1/registry/proposals/{pid}").get_json()
    assert [e["to_stage"] for e in public["timeline"]] == STAGES_OF_A_FULL_RUN
    assert (public["requested_amount"], public["disbursed_amount"]) == (150_000_000, 100_000_000)

    # the open-data export names the money trail the 360Giving way
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/registry/proposals.csv").text[1:])))
    row = next(r for r in rows if r["Identifier"].endswith(pid))
    assert row["Amount Applied For"] == "150000000" and row["Amount Awarded"] == "100000000"
    assert row["Amount Disbursed"] == "100000000" and row["Recipient Org:Name"]
    grants = client.get("/api/v1/registry/grants.360g.json").get_json()["grants"]
    grant = next(g for g in grants if g["id"].endswith(pid))
    assert grant["amountAppliedFor"] == 150_000_000 and grant["currency"] == "IDR"
    assert grant["amountAwarded"] == grant["amountDisbursed"] == 100_000_000

    # the applicant heard of every decision; each queue heard when it was their turn
    decisions = len(STAGES_OF_A_FULL_RUN)
    mails = wait_until(
        lambda: (m := emails_about(smtp, applicant["email"], pid)) and len(m) >= decisions and m,
        timeout=20,
    )
    assert len(mails) == decisions
    subjects = " | ".join(m["Subject"] for m in mails)
    assert f"Usulan {pid} diterima" in subjects and "LPJ diverifikasi" in subjects
    for who in ("kesra", "dispora", "tapd", "dispora_officer"):
        wait_until(lambda w=who: emails_about(smtp, staff[w]["email"], pid), timeout=10)
    nobody_else = emails_about(smtp, staff["dinsos"]["email"], pid)
    assert nobody_else == []

    # the audit chain verifies; a row changed behind the API's back is detected
    kesra = auth(staff["kesra"]["token"])
    verdict = client.get(f"/api/v1/proposals/{pid}/audit/verify", headers=kesra).get_json()
    assert verdict["ok"] is True and verdict["entries"] >= decisions
    log = client.get(f"/api/v1/proposals/{pid}/audit", headers=kesra).get_json()
    actions = [e["action"] for e in log["entries"]]
    assert "declaration" in actions and "field_check" in actions and actions[-1] == "verify_lpj"
    assert all(
        e["prev_hash"] == p["hash"]
        for p, e in zip(log["entries"], log["entries"][1:], strict=False)
    )
    target = next(e for e in log["entries"] if e["action"] == "accept")
    db_rows(
        platform.config["PROPOSALS_DATABASE_URL"],
        "UPDATE audit_log SET data = :d WHERE hash = :h",
        d='{"amount": 999000000}',
        h=target["hash"],
    )
    tampered = client.get(f"/api/v1/proposals/{pid}/audit/verify", headers=kesra).get_json()
    assert tampered["ok"] is False and tampered["broken_at"] == target["seq"]


def test_an_individual_bansos_goes_through_every_stage_shown_by_initials(client, staff, smtp):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "bansos", requested_amount=5_000_000)
    pid = proposal["public_id"]
    assert proposal["agency"] == "DINSOS" and proposal["bansos_type"] == "planned"
    item = check_public(client, proposal, "submitted")
    assert item["recipient_name"] == "S.N.W." and item["desa"] == proposal["desa"]
    assert item["purpose"] is None  # a person's circumstances stay private

    final = run_to_lpj_verified(
        client,
        staff,
        applicant["token"],
        proposal,
        staff["dinsos"],
        staff["dinsos_officer"],
        (5_000_000, 5_000_000, 5_000_000),
    )
    assert [e["to_stage"] for e in final["timeline"]] == STAGES_OF_A_FULL_RUN
    gis = client.get("/gis/collections/proposals/items", query_string={"limit": 1000}).get_json()
    feature = next(f for f in gis["features"] if f["id"] == pid)
    assert feature["properties"]["stage"] == "lpj_verified"
    assert feature["geometry"]["coordinates"] == [
        round(proposal["lon"], 2),
        round(proposal["lat"], 2),
    ]
    mails = wait_until(
        lambda: (m := emails_about(smtp, applicant["email"], pid)) and len(m) >= 9 and m,
        timeout=20,
    )
    assert len(mails) == len(STAGES_OF_A_FULL_RUN)


def test_tapd_rejects_and_the_reason_stays_in_public_view(client, staff, smtp, platform):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah")
    pid = proposal["public_id"]
    step(client, staff["kesra"], pid, "complete")
    declare(client, staff["dispora"], pid)
    field_check(client, staff["dispora"], pid)
    step(client, staff["dispora"], pid, "recommend", amount=20_000_000)
    declare(client, staff["tapd"], pid)
    reason = "Pagu belanja hibah tahun ini sudah habis."
    rejected = step(client, staff["tapd"], pid, "reject", note=reason)
    assert rejected["stage"] == "rejected"

    item = check_public(client, proposal, "rejected")
    assert item["stage_note"] == reason and item["timeline"][-1]["note"] == reason
    with proposal_untouched(platform, pid):
        assert act(client, staff["tapd"], pid, "accept", amount=1).status_code == 409
    [mail] = wait_until(
        lambda: [
            m for m in emails_about(smtp, applicant["email"], pid) if "Ditolak" in m["Subject"]
        ]
    )
    assert reason in mail.get_body(("plain",)).get_content()


def test_a_returned_proposal_is_fixed_and_resubmitted(client, staff, smtp):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah")
    pid = proposal["public_id"]
    fix = "Surat domisili sudah kedaluwarsa; unggah yang baru."
    returned = step(client, staff["kesra"], pid, "return", note=fix)
    assert returned["stage"] == "returned"
    assert check_public(client, proposal, "returned")["stage_note"] == fix

    body = {
        k: proposal[k]
        for k in ("kind", "budget_year", "title", "purpose", "category", "lat", "lon", "activities")
    } | {
        "applicant_id": proposal["applicant"]["id"],
        "bansos_type": None,
        "requested_amount": 25_000_000,
        "cost_lines": [{"item": "Perlengkapan latihan", "amount": 25_000_000}],
    }
    edited = client.put(f"/api/v1/proposals/{pid}", json=body, headers=auth(applicant["token"]))
    assert edited.status_code == 200, edited.get_json()
    # the domicile letter is the organisation's: replaced on its profile, not on the proposal
    refused = upload(client, applicant["token"], pid, "surat_domisili")
    assert refused.status_code == 422 and "doc_type" in refused.get_json()["errors"]
    organisation = proposal["applicant"]["id"]
    renewed = upload_standing(client, applicant["token"], organisation, "surat_domisili")
    assert renewed.status_code == 201, renewed.get_json()
    again = client.post(
        f"/api/v1/proposals/{pid}/resubmit", json={}, headers=auth(applicant["token"])
    )
    assert again.status_code == 200, again.get_json()
    item = check_public(client, proposal, "submitted")
    assert item["requested_amount"] == 25_000_000
    assert [e["to_stage"] for e in item["timeline"]] == ["submitted", "returned", "submitted"]
    assert step(client, staff["kesra"], pid, "complete")["stage"] == "evaluation"
    wait_until(
        lambda: [
            m for m in emails_about(smtp, applicant["email"], pid) if "Dikembalikan" in m["Subject"]
        ]
    )


def test_a_withdrawn_proposal_stays_visible_with_its_reason(client, staff):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah")
    pid = proposal["public_id"]
    response = client.post(
        f"/api/v1/proposals/{pid}/withdraw",
        json={"note": "Kegiatan dibiayai pihak lain."},
        headers=auth(applicant["token"]),
    )
    assert response.status_code == 200, response.get_json()
    item = check_public(client, proposal, "withdrawn")
    assert item["stage_note"] == "Kegiatan dibiayai pihak lain."


def test_a_draft_is_not_in_the_registry_until_submitted(client):
    applicant = citizen(client)
    organisation = create_applicant(client, applicant["token"])
    draft = create_draft(client, applicant["token"], organisation["id"])
    assert registry_item(client, draft["public_id"]) is None
    assert client.get(f"/api/v1/registry/proposals/{draft['public_id']}").status_code == 404
    upload_checklist(client, applicant["token"], draft)
    assert registry_item(client, draft["public_id"]) is None


# --- the public web pages (/usulan): the same registry as a citizen reads it in a browser ----


def test_the_public_pages_list_filter_and_show_the_money_trail(client, staff):
    applicant = citizen(client)
    hibah = submitted_proposal(client, applicant["token"], "hibah", requested_amount=150_000_000)
    bansos = submitted_proposal(client, applicant["token"], "bansos")
    step(client, staff["kesra"], hibah["public_id"], "complete", note="Berkas lengkap, lanjut.")

    listing = client.get("/usulan", query_string={"per_page": 100})
    assert listing.status_code == 200 and listing.mimetype == "text/html"
    page = listing.get_data(as_text=True)
    assert f'href="/usulan/{hibah["public_id"]}"' in page
    assert html.escape(hibah["title"]) in page and "Rp 150.000.000" in page
    assert STAGE_LABELS["evaluation"] in page and "Per kecamatan" in page

    only_bansos = client.get("/usulan", query_string={"kind": "bansos", "per_page": 100})
    narrowed = only_bansos.get_data(as_text=True)
    assert bansos["public_id"] in narrowed and hibah["public_id"] not in narrowed
    assert "proposals.csv?kind=bansos" in narrowed

    detail = client.get(f"/usulan/{hibah['public_id']}").get_data(as_text=True)
    assert TRANSITIONS["complete"].label in detail and "Berkas lengkap, lanjut." in detail
    assert "Rp 150.000.000" in detail and "Jejak uang" in detail
    for name, proposal in (("hibah", hibah), ("bansos", bansos)):
        body = client.get(f"/usulan/{proposal['public_id']}").get_data(as_text=True)
        leaked = [s for s in private_values(proposal) if html.escape(s) in body or s in body]
        assert not leaked, f"{name} page leaks {leaked}"


def test_the_public_pages_refuse_bad_filters_and_hide_drafts(client):
    applicant = citizen(client)
    organisation = create_applicant(client, applicant["token"])
    draft = create_draft(client, applicant["token"], organisation["id"])
    assert client.get(f"/usulan/{draft['public_id']}").status_code == 404
    assert client.get(f"/usulan/SO-{THIS_YEAR}-999999").status_code == 404
    for bad in ({"kind": "pinjaman"}, {"year": "tahun lalu"}, {"stage": "hilang"}, {"page": "0"}):
        response = client.get("/usulan", query_string=bad)
        assert response.status_code == 400, (bad, response.status_code)
        assert next(iter(bad)) in response.get_data(as_text=True)


def test_staff_and_applicants_see_their_own_serang_open_work_on_the_web(platform, client, staff):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah")
    pid = proposal["public_id"]

    kesra = platform.client
    assert web_login(kesra, staff["kesra"]["email"]) == "/staf"
    desk = kesra.get("/staf").get_data(as_text=True)
    assert "Antrean Serang Open" in desk and f'href="/staf/usulan/{pid}"' in desk
    assert "hari" in desk and STAGE_LABELS["submitted"] in desk

    def told():  # the "it is in your queue" message reaches the desk's inbox
        page = kesra.get("/staf").get_data(as_text=True)
        return "masuk antrean" in page and "Tandai semua sudah dibaca" in page and page

    desk = wait_until(told, timeout=15)
    marked = kesra.post("/saya/kotak-masuk/baca?kembali=/staf", data={"csrf": csrf_of(desk)})
    assert marked.status_code == 303 and marked.headers["Location"] == "/staf"
    assert "Tandai semua sudah dibaca" not in kesra.get("/staf").get_data(as_text=True)

    tapd = platform.client
    web_login(tapd, staff["tapd"]["email"])
    budget_desk = tapd.get("/staf").get_data(as_text=True)
    assert pid not in budget_desk  # not in the budget team's queue until Kesra and the OPD act
    assert "Antrean pengaduan" not in budget_desk  # the budget team handles no complaints

    own = platform.client
    assert web_login(own, applicant["email"]) == "/saya"
    page = own.get("/saya").get_data(as_text=True)
    assert pid in page and STAGE_LABELS["submitted"] in page
    assert pid not in platform.client.get("/saya").get_data(as_text=True)  # signed out: login


def web_login(browser, email: str) -> str:
    from tests.support.web import web_login as sign_in

    return sign_in(browser, email)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def test_staff_move_a_proposal_on_from_their_web_desk(platform, client, staff):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah", requested_amount=90_000_000)
    pid = proposal["public_id"]
    phone = proposal["applicant"]["phone"]

    kesra = platform.client
    web_login(kesra, staff["kesra"]["email"])
    page = kesra.get(f"/staf/usulan/{pid}").get_data(as_text=True)
    assert phone in page  # staff handling it see the applicant's private details
    assert 'value="complete"' in page and 'value="return"' in page
    document = re.search(rf'href="(/staf/usulan/{pid}/berkas/\d+)"', page)
    assert document and kesra.get(document.group(1)).data.startswith(b"%PDF")
    token = csrf_of(page)
    with proposal_untouched(platform, pid):
        forged = kesra.post(f"/staf/usulan/{pid}", data={"action": "complete"})
        assert forged.status_code == 403 and registry_item(client, pid)["stage"] == "submitted"
        no_reason = kesra.post(f"/staf/usulan/{pid}", data={"csrf": token, "action": "return"})
        assert no_reason.status_code == 422 and "note" in no_reason.get_data(as_text=True)
    done = kesra.post(
        f"/staf/usulan/{pid}", data={"csrf": token, "action": "complete", "note": "Lengkap."}
    )
    assert done.status_code == 303 and registry_item(client, pid)["stage"] == "evaluation"

    verifier = platform.client
    web_login(verifier, staff["dispora"]["email"])
    page = verifier.get(f"/staf/usulan/{pid}").get_data(as_text=True)
    assert "Pernyataan Anda" in page and 'value="recommend"' in page
    token = csrf_of(page)
    recommend = {"csrf": token, "action": "recommend", "amount": "80.000.000"}
    with proposal_untouched(platform, pid):
        undeclared = verifier.post(f"/staf/usulan/{pid}", data=recommend)
        assert undeclared.status_code == 409
        assert registry_item(client, pid)["stage"] == "evaluation"
    declared = verifier.post(
        f"/staf/usulan/{pid}/pernyataan", data={"csrf": token, "decision": "no_conflict"}
    )
    assert declared.status_code == 303
    assert "Pernyataan Anda" not in verifier.get(f"/staf/usulan/{pid}").get_data(as_text=True)
    check = {"csrf": token, "checked_on": f"{THIS_YEAR}-06-01", "findings": "Sekretariat aktif."}
    with proposal_untouched(platform, pid):
        not_a_photo = verifier.post(
            f"/staf/usulan/{pid}/pemeriksaan",
            data=check | {"photos": [(io.BytesIO(PDF), "foto.png")]},
            content_type="multipart/form-data",
        )
        assert not_a_photo.status_code == 415 and "photos" in not_a_photo.get_data(as_text=True)
    checked = verifier.post(
        f"/staf/usulan/{pid}/pemeriksaan",
        data=check | {"photos": [(io.BytesIO(png()), "lokasi.png")]},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 303
    private = client.get(f"/api/v1/proposals/{pid}", headers=auth(staff["dispora"]["token"]))
    [recorded] = private.get_json()["field_checks"]
    assert recorded["findings"] == "Sekretariat aktif." and len(recorded["photo_ids"]) == 1
    with proposal_untouched(platform, pid):
        bad_amount = verifier.post(f"/staf/usulan/{pid}", data=recommend | {"amount": "delapan"})
        assert bad_amount.status_code == 422 and "amount" in bad_amount.get_data(as_text=True)
    assert verifier.post(f"/staf/usulan/{pid}", data=recommend).status_code == 303
    item = registry_item(client, pid)
    assert item["stage"] == "recommended" and item["recommended_amount"] == 80_000_000

    other = platform.client
    web_login(other, staff["dinsos"]["email"])
    foreign = other.get(f"/staf/usulan/{pid}")
    assert foreign.status_code == 403 and phone not in foreign.get_data(as_text=True)


def test_an_organisation_files_a_hibah_on_the_web_from_profile_to_submission(platform, client):
    applicant = citizen(client)
    browser = platform.client
    assert browser.get("/saya/usulan/baru").headers["Location"].startswith("/masuk?next=")
    web_login(browser, applicant["email"])
    token = csrf_of(browser.get("/saya").get_data(as_text=True))
    point = fresh_point()
    name = f"Yayasan Web Serang {uuid.uuid4().hex[:6]}"
    profile = {
        "csrf": token,
        "jenis": "organisation",
        "name": name,
        "legal_form": "yayasan",
        "legal_entity_number": "AHU-0099887.AH.01.04",
        "sk_kepengurusan": "SK/07/2025",
        "established_on": "2016-04-01",
        "address": "Jl. Raya Uji No. 7",
        "lat": str(point["lat"]),
        "lon": str(point["lon"]),
        "phone": "081234500011",
        "email": "yayasan.web@example.id",
        "npwp": "NPWP-PALSU",
        "bank_name": "Bank BJB",
        "bank_account_number": "0012345678",
        "bank_account_name": name,
        "person1_name": "Ahmad Ketua",
        "person1_position": "Ketua",
        "person1_nik": nik(),
    }
    with proposals_unchanged(platform):
        refused = browser.post("/saya/pemohon/baru", data=profile)
        assert refused.status_code == 422 and "npwp" in refused.get_data(as_text=True)
    assert f'value="{name}"' in refused.get_data(as_text=True)  # nothing typed is lost
    created = browser.post("/saya/pemohon/baru", data=profile | {"npwp": "01.234.567.8-401.000"})
    assert created.status_code == 303, created.get_data(as_text=True)[:400]
    assert created.headers["Location"].startswith("/saya/usulan/baru?pemohon=")
    applicant_id = created.headers["Location"].rsplit("=", 1)[1]

    draft = {
        "csrf": token,
        "applicant_id": applicant_id,
        "kind": "hibah",
        "bansos_type": "",
        "budget_year": str(THIS_YEAR),
        "category": "olahraga",
        "title": "Turnamen voli antardesa",
        "purpose": "Pembinaan atlet voli muda di tingkat desa.",
        "activities": "Seleksi, pertandingan, pembinaan.",
        "cost1_item": "Perlengkapan",
        "cost1_amount": "15.000.000",
        "cost2_item": "Konsumsi",
        "cost2_amount": "5.000.000",
        "requested_amount": "25.000.000",
        "lat": str(point["lat"]),
        "lon": str(point["lon"]),
    }
    with proposals_unchanged(platform):
        wrong_sum = browser.post("/saya/usulan/baru", data=draft)
        assert wrong_sum.status_code == 422
        assert "Rincian biaya" in wrong_sum.get_data(as_text=True)  # the field named in words
    saved = browser.post("/saya/usulan/baru", data=draft | {"requested_amount": "20.000.000"})
    assert saved.status_code == 303, saved.get_data(as_text=True)[:400]
    page_url = saved.headers["Location"].split("?")[0]
    pid = page_url.rsplit("/", 1)[1]
    assert "Draf tersimpan" in browser.get(saved.headers["Location"]).get_data(as_text=True)
    assert registry_item(client, pid) is None  # a draft is private

    edit = browser.get(f"{page_url}/ubah").get_data(as_text=True)
    assert 'value="Turnamen voli antardesa"' in edit and 'value="15000000"' in edit
    fixed = draft | {"requested_amount": "20.000.000", "title": "Turnamen voli antardesa 2026"}
    with proposal_untouched(platform, pid):
        bad_edit = browser.post(f"{page_url}/ubah", data=fixed | {"requested_amount": "21.000.000"})
        assert bad_edit.status_code == 422 and "Rincian biaya" in bad_edit.get_data(as_text=True)
    assert browser.post(f"{page_url}/ubah", data=fixed).status_code == 303
    assert "Turnamen voli antardesa 2026" in browser.get(page_url).get_data(as_text=True)

    with proposal_untouched(platform, pid):
        early = browser.post(f"{page_url}/ajukan", data={"csrf": token})
        assert early.status_code == 422 and "Dokumen" in early.get_data(as_text=True)  # in words
        not_pdf = browser.post(
            f"{page_url}/berkas",
            data={
                "csrf": token,
                "doc_type": "surat_permohonan",
                "files": [(io.BytesIO(b"MZ\x90 exe"), "a.pdf")],
            },
            content_type="multipart/form-data",
        )
        assert not_pdf.status_code == 415
    for doc_type in proposal_documents("hibah", "organisation"):
        uploaded = browser.post(
            f"{page_url}/berkas",
            data={"csrf": token, "doc_type": doc_type, "files": [(io.BytesIO(PDF), "a.pdf")]},
            content_type="multipart/form-data",
        )
        assert uploaded.status_code == 303, uploaded.get_data(as_text=True)[:300]
    for kind in STANDING_KINDS:  # the organisation's own, on its profile page
        kept = browser.post(
            f"/saya/pemohon/{applicant_id}/dokumen",
            data={"csrf": token, "kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")}
            | validity(kind),
            content_type="multipart/form-data",
        )
        assert kept.status_code == 303, kept.get_data(as_text=True)[:300]
    page = browser.get(page_url).get_data(as_text=True)
    document = re.search(rf'href="({page_url}/berkas/\d+)"', page)
    assert document and browser.get(document.group(1)).data.startswith(b"%PDF")

    submitted = browser.post(f"{page_url}/ajukan", data={"csrf": token})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:400]
    item = registry_item(client, pid)
    assert item["stage"] == "submitted" and item["recipient_name"] == name
    assert item["requested_amount"] == 20_000_000

    stranger = platform.client
    web_login(stranger, citizen(client)["email"])
    assert stranger.get(page_url).status_code == 403
    assert stranger.get(document.group(1)).status_code == 403
    own_token = csrf_of(stranger.get("/saya").get_data(as_text=True))
    with proposal_untouched(platform, pid):
        refused = stranger.post(
            f"{page_url}/tarik", data={"csrf": own_token, "note": "Bukan saya."}
        )
        assert refused.status_code == 403 and registry_item(client, pid)["stage"] == "submitted"

    withdrawn = browser.post(f"{page_url}/tarik", data={"csrf": token, "note": "Batal."})
    assert withdrawn.status_code == 303 and registry_item(client, pid)["stage"] == "withdrawn"


def test_a_recipient_hands_in_the_lpj_on_the_web(platform, client, staff):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "hibah", requested_amount=40_000_000)
    amounts = (35_000_000, 30_000_000, 30_000_000)
    run_to_disbursed(client, staff, proposal, staff["dispora"], staff["dispora_officer"], amounts)
    page_url = f"/saya/usulan/{proposal['public_id']}"

    browser = platform.client
    web_login(browser, applicant["email"])
    page = browser.get(page_url).get_data(as_text=True)
    assert "Serahkan LPJ" in page and 'value="lpj_laporan"' in page
    token = csrf_of(page)
    with proposal_untouched(platform, proposal["public_id"]):
        too_early = browser.post(f"{page_url}/lpj", data={"csrf": token})
        assert too_early.status_code == 422  # the report itself is not uploaded yet
    uploaded = browser.post(
        f"{page_url}/berkas",
        data={"csrf": token, "doc_type": "lpj_laporan", "files": [(io.BytesIO(PDF), "lpj.pdf")]},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 303
    handed_in = browser.post(f"{page_url}/lpj", data={"csrf": token})
    assert handed_in.status_code == 303
    assert registry_item(client, proposal["public_id"])["stage"] == "lpj_submitted"
    assert "LPJ diserahkan" in browser.get(handed_in.headers["Location"]).get_data(as_text=True)


def test_social_services_open_an_emergency_bansos_on_the_web(platform, client, staff):
    officer = platform.client
    web_login(officer, staff["dinsos_officer"]["email"])
    form = officer.get("/staf/bansos-darurat").get_data(as_text=True)
    point = fresh_point()
    body = {
        "csrf": csrf_of(form),
        "reported_by": "Kepala Desa, surat 3 Maret",
        "category": "sosial",
        "budget_year": str(THIS_YEAR),
        "title": "Bantuan korban kebakaran rumah",
        "purpose": "Rumah terbakar habis; kebutuhan pangan dan sandang keluarga.",
        "b_name": "Sarip Hidayat",
        "b_nik": "123",
        "b_address": "Kp. Uji RT 01 RW 02",
        "b_bank_name": "Bank BJB",
        "b_bank_account_number": "0011223344",
        "cost1_item": "Paket pangan",
        "cost1_amount": "3.000.000",
        "cost2_item": "Sandang",
        "cost2_amount": "2.000.000",
        "requested_amount": "5.000.000",
        "lat": str(point["lat"]),
        "lon": str(point["lon"]),
    }
    with proposals_unchanged(platform):
        bad_nik = officer.post("/staf/bansos-darurat", data=body)
        assert bad_nik.status_code == 422 and "nik" in bad_nik.get_data(as_text=True)
    assert 'value="Sarip Hidayat"' in bad_nik.get_data(as_text=True)

    sports = platform.client
    web_login(sports, staff["dispora_officer"]["email"])
    token = csrf_of(sports.get("/staf/bansos-darurat").get_data(as_text=True))
    with proposals_unchanged(platform):
        refused = sports.post("/staf/bansos-darurat", data=body | {"csrf": token, "b_nik": nik()})
        assert refused.status_code == 403  # social aid is Dinas Sosial's (or Kesra's)

    opened = officer.post("/staf/bansos-darurat", data=body | {"b_nik": nik()})
    assert opened.status_code == 303, opened.get_data(as_text=True)[:400]
    page_url = opened.headers["Location"].split("?")[0]
    pid = page_url.rsplit("/", 1)[1]
    page = officer.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Bansos tidak terencana dibuka" in page and "Unggah laporan kejadian" in page
    uploaded = officer.post(
        f"{page_url}/laporan-kejadian",
        data={"csrf": csrf_of(page), "files": [(io.BytesIO(PDF), "surat-kades.pdf")]},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 303
    item = registry_item(client, pid)
    assert item["stage"] == "submitted" and item["recipient_name"] == "S.H."
    private = client.get(
        f"/api/v1/proposals/{pid}", headers=auth(staff["dinsos_officer"]["token"])
    ).get_json()
    assert [c["uploaded"] for c in private["checklist"]] == [True]
