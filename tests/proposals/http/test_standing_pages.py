"""The pages of issue 16's standing documents, printable PDFs and conversation, as a browser
uses them (plain HTML forms, no script): the organisation's profile page lists its standing
documents with their validity and keeps a new version (a refused date named in words, nothing
stored); the proposal's page says which documents come from the profile and offers to upload
only its own; the applicant's and the staff's proposal pages link the PDFs that exist at the
proposal's stage and carry the conversation (list and form).
"""

from __future__ import annotations

import html
import io
import re

import pytest

from services.proposals.contract.catalogue import STANDING_KINDS
from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    blob_files,
    citizen,
    create_applicant,
    create_draft,
    declare,
    field_check,
    submitted_proposal,
    unique_pdf,
    upload_checklist,
)
from tests.support.factories import auth
from tests.support.snapshots import proposals_unchanged
from tests.support.web import csrf_of, page, signed_in


def keep(browser, applicant_id: int, token: str, kind: str, content: bytes, **dates):
    return browser.post(
        f"/saya/pemohon/{applicant_id}/dokumen",
        data={"csrf": token, "kind": kind, "file": (io.BytesIO(content), f"{kind}.pdf")} | dates,
        content_type="multipart/form-data",
    )


def links(text: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"]*)"', text)


@pytest.fixture(scope="module")
def owner(client):
    return citizen(client)


def test_the_profile_page_lists_the_standing_documents_and_keeps_a_new_version(
    platform, client, owner, blob_dir
):
    organisation = create_applicant(client, owner["token"])
    aid, browser = organisation["id"], signed_in(platform, owner["email"])
    mine = page(browser, "/saya")
    assert f'href="/saya/pemohon/{aid}"' in mine  # /saya links the profile
    profile = page(browser, f"/saya/pemohon/{aid}")
    assert "Dokumen tetap lembaga" in profile and organisation["name"] in profile
    for kind in STANDING_KINDS.values():
        assert kind.name in profile
        assert f'name="kind" value="{kind.code}"' in profile  # a form for each kind
    assert profile.count("belum ada") >= len(STANDING_KINDS)
    token = csrf_of(profile)

    before = blob_files(blob_dir)
    with proposals_unchanged(platform):
        refused = keep(
            browser,
            aid,
            token,
            "sk_kepengurusan",
            unique_pdf(),
            valid_from=f"{THIS_YEAR}-06-01",
            valid_until=f"{THIS_YEAR}-01-31",
        )
        assert refused.status_code == 422
        text = html.unescape(refused.get_data(as_text=True))
        summary = text.split('role="alert"')[1].split("</div>")[0]
        assert "<strong>Berlaku sampai</strong>" in summary  # the field named in words
        assert "valid_until" not in summary and "sesudah tanggal mulai" in summary
        missing = keep(browser, aid, token, "surat_domisili", unique_pdf())
        assert missing.status_code == 422 and "Wajib diisi" in missing.get_data(as_text=True)
    assert blob_files(blob_dir) == before

    first, second = unique_pdf(), unique_pdf()
    dates = {"valid_from": f"{THIS_YEAR - 1}-01-01", "valid_until": f"{THIS_YEAR + 2}-12-31"}
    kept = keep(browser, aid, token, "sk_kepengurusan", first, **dates)
    assert kept.status_code == 303 and kept.headers["Location"] == f"/saya/pemohon/{aid}?ok=dokumen"
    shown = page(browser, kept.headers["Location"])
    assert "Dokumen tersimpan di profil lembaga" in shown
    assert f"sampai 31 Desember {THIS_YEAR + 2}" in shown
    [old] = links(shown, f"/saya/pemohon/{aid}/dokumen/")
    assert browser.get(old).get_data() == first

    assert keep(browser, aid, token, "sk_kepengurusan", second, **dates).status_code == 303
    shown = page(browser, f"/saya/pemohon/{aid}")
    assert "Versi yang sudah diganti" in shown
    files = links(shown, f"/saya/pemohon/{aid}/dokumen/")
    assert len(files) == 2 and old in files  # the version now, and the replaced one
    assert {browser.get(f).get_data() for f in files} == {first, second}

    stranger = signed_in(platform, citizen(client)["email"])
    page(stranger, f"/saya/pemohon/{aid}", 404)
    assert stranger.get(old).status_code == 404
    with proposals_unchanged(platform):
        other = csrf_of(page(stranger, "/saya"))
        assert keep(stranger, aid, other, "npwp", unique_pdf()).status_code == 404


def test_the_proposal_pages_say_which_documents_come_from_the_profile(
    platform, client, owner, staff
):
    organisation = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], organisation["id"])
    pid, browser = draft["public_id"], signed_in(platform, owner["email"])
    mine = page(browser, f"/saya/usulan/{pid}")
    assert f'href="/saya/pemohon/{organisation["id"]}#dokumen-npwp"' in mine
    assert "Belum ada di profil lembaga" in mine
    offered = re.findall(r'<option value="([a-z_]+)"', mine.split('id="doc_type"')[1])
    assert offered == ["surat_permohonan", "rab", "rekening_bank"]  # the proposal's own only

    upload_checklist(client, owner["token"], draft)
    submitted = client.post(
        f"/api/v1/proposals/{pid}/submit", json={}, headers=auth(owner["token"])
    )
    assert submitted.status_code == 200, submitted.get_json()
    verifier = signed_in(platform, staff["dispora"]["email"])
    desk = page(verifier, f"/staf/usulan/{pid}")
    assert "Dokumen tetap lembaga yang dipakai usulan ini" in desk
    assert "Versi saat usulan diajukan" in desk and "profil lembaga" in desk
    used = links(desk, f"/staf/pemohon/{organisation['id']}/dokumen/")
    assert len(used) == len(STANDING_KINDS)
    assert verifier.get(used[0]).get_data().startswith(b"%PDF")
    other = signed_in(platform, staff["dinkes"]["email"])
    assert other.get(used[0]).status_code == 404  # another OPD's staff: not theirs
    seen = page(verifier, f"/saya/pemohon/{organisation['id']}")  # the profile, read only
    assert "Dokumen tetap lembaga" in seen and 'name="kind"' not in seen


def test_the_printable_pdfs_are_linked_from_the_stage_where_they_exist(
    platform, client, owner, staff
):
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    applicant, verifier = (
        signed_in(platform, owner["email"]),
        signed_in(platform, staff["dispora"]["email"]),
    )

    def printed(browser, where: str) -> list[str]:
        return links(page(browser, f"/{where}/usulan/{pid}"), f"/{where}/usulan/{pid}/cetak/")

    assert printed(applicant, "saya") == [] and printed(verifier, "staf") == []
    assert applicant.get(f"/saya/usulan/{pid}/cetak/nphd.pdf").status_code == 409

    assert act(client, staff["kesra"], pid, "complete").status_code == 200
    declare(client, staff["dispora"], pid)
    field_check(client, staff["dispora"], pid)
    assert printed(applicant, "saya") == [f"/saya/usulan/{pid}/cetak/berita-acara.pdf"]
    assert printed(verifier, "staf") == [f"/staf/usulan/{pid}/cetak/berita-acara.pdf"]
    report = applicant.get(f"/saya/usulan/{pid}/cetak/berita-acara.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    assert report.get_data().startswith(b"%PDF-") and pid.encode() in report.get_data()

    assert act(client, staff["dispora"], pid, "recommend", amount=20_000_000).status_code == 200
    declare(client, staff["tapd"], pid)
    assert act(client, staff["tapd"], pid, "accept", amount=20_000_000).status_code == 200
    decree = {"decree_number": f"SK/{pid}", "decree_date": f"{THIS_YEAR}-03-02"}
    approved = act(client, staff["kesra"], pid, "approve", amount=20_000_000, **decree)
    assert approved.status_code == 200, approved.get_json()
    assert [d["document"] for d in approved.get_json()["printables"]] == ["berita-acara", "nphd"]
    assert printed(verifier, "staf")[-1] == f"/staf/usulan/{pid}/cetak/nphd.pdf"
    nphd = {"nphd_number": f"NPHD/{pid}", "nphd_date": f"{THIS_YEAR}-03-10"}
    signed = act(
        client, staff["dispora_officer"], pid, "sign_agreement", integrity_pact=True, **nphd
    )
    assert signed.status_code == 200, signed.get_json()
    assert printed(applicant, "saya") == [
        f"/saya/usulan/{pid}/cetak/{d}.pdf" for d in ("berita-acara", "nphd", "kuitansi")
    ]
    receipt = verifier.get(f"/staf/usulan/{pid}/cetak/kuitansi.pdf")
    assert receipt.status_code == 200 and receipt.get_data().startswith(b"%PDF-")

    stranger = signed_in(platform, citizen(client)["email"])
    assert stranger.get(f"/saya/usulan/{pid}/cetak/nphd.pdf").status_code == 403
    assert signed_in(platform, staff["dinkes"]["email"]).get(
        f"/staf/usulan/{pid}/cetak/nphd.pdf"
    ).status_code in (403, 404)


def test_the_conversation_is_on_the_applicants_and_the_staffs_proposal_pages(
    platform, client, owner, staff
):
    organisation = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], organisation["id"])
    pid, applicant = draft["public_id"], signed_in(platform, owner["email"])
    before = page(applicant, f"/saya/usulan/{pid}")
    assert "dimulai setelah usulan diajukan" in before
    assert f'action="/saya/usulan/{pid}/pesan"' not in before
    upload_checklist(client, owner["token"], draft)
    client.post(f"/api/v1/proposals/{pid}/submit", json={}, headers=auth(owner["token"]))

    mine = page(applicant, f"/saya/usulan/{pid}")
    question = "Apakah RAB perlu ditandatangani bendahara?"
    with proposals_unchanged(platform):
        empty = applicant.post(
            f"/saya/usulan/{pid}/pesan", data={"csrf": csrf_of(mine), "body": " "}
        )
        assert empty.status_code == 422 and "Pesan" in empty.get_data(as_text=True)
    sent = applicant.post(
        f"/saya/usulan/{pid}/pesan", data={"csrf": csrf_of(mine), "body": question}
    )
    assert sent.status_code == 303 and sent.headers["Location"] == f"/saya/usulan/{pid}?ok=pesan"
    assert "Pesan terkirim" in page(applicant, sent.headers["Location"])

    verifier = signed_in(platform, staff["dispora"]["email"])
    desk = page(verifier, f"/staf/usulan/{pid}")
    assert question in desk and "Percakapan dengan pemohon" in desk
    answer = "Ya, mohon ditandatangani ketua dan bendahara."
    replied = verifier.post(
        f"/staf/usulan/{pid}/pesan", data={"csrf": csrf_of(desk), "body": answer}
    )
    assert (
        replied.status_code == 303 and replied.headers["Location"] == f"/staf/usulan/{pid}?ok=pesan"
    )
    shown = page(applicant, f"/saya/usulan/{pid}")
    assert question in shown and answer in shown and "Verifikator DISPORA" in shown
    listed = client.get(f"/api/v1/proposals/{pid}/messages", headers=auth(owner["token"]))
    assert [m["body"] for m in listed.get_json()] == [question, answer]

    # Kesra follows the proposal at evaluation without seeing its applicant: no conversation
    assert act(client, staff["kesra"], pid, "complete").status_code == 200
    kesra = signed_in(platform, staff["kesra"]["email"])
    followed = page(kesra, f"/staf/usulan/{pid}")
    assert "Percakapan dengan pemohon" not in followed and question not in followed
    with proposals_unchanged(platform):
        refused = kesra.post(
            f"/staf/usulan/{pid}/pesan", data={"csrf": csrf_of(followed), "body": "Halo"}
        )
        assert refused.status_code == 403
