"""An organisation's standing documents (issue 16) over HTTP, with every real service: the akta
pendirian, SK Kemenkumham, SK kepengurusan, NPWP, KTP ketua and surat keterangan domisili live
on its profile with their validity (a replaced version kept, never deleted), only its members
keep them, the staff who may see the applicant read them, nobody else; every proposal's
checklist takes them from there (an expired one, or one ending before the budget year, counts
as missing with its reason), submitting records the versions used, and a later replacement
does not change what a submitted proposal shows. A proposal filed the old way, with copies of
those documents uploaded to it, still counts them.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from gateway.blobs import main as blobs_command
from services.proposals.contract.catalogue import STANDING_KINDS
from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    blob_files,
    citizen,
    create_applicant,
    create_draft,
    db_rows,
    standing_documents,
    unique_pdf,
    upload,
    upload_checklist,
    upload_standing,
)
from tests.support.factories import auth
from tests.support.snapshots import files_unchanged, proposals_unchanged

KINDS = tuple(STANDING_KINDS)
OWN = ("surat_permohonan", "rab", "rekening_bank")  # a hibah's own documents


def path(applicant_id: int, document_id: int | None = None) -> str:
    base = f"/api/v1/proposals/applicants/{applicant_id}/documents"
    return base if document_id is None else f"{base}/{document_id}"


def problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data()[:400])
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def items(listing: dict) -> dict:
    return {item["kind"]: item for item in listing["items"]}


def get_proposal(client, token: str, public_id: str) -> dict:
    response = client.get(f"/api/v1/proposals/{public_id}", headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def submit(client, token: str, public_id: str):
    return client.post(f"/api/v1/proposals/{public_id}/submit", json={}, headers=auth(token))


def rows(platform, sql: str, **params) -> list[dict]:
    return db_rows(platform.config["PROPOSALS_DATABASE_URL"], sql, **params)


@pytest.fixture(scope="module")
def owner(client):
    person = citizen(client)
    return person | {"organisation": create_applicant(client, person["token"])}


def test_a_member_keeps_each_standing_document_with_its_validity_and_its_history(
    client, owner, platform
):
    organisation = create_applicant(client, owner["token"])["id"]
    empty = standing_documents(client, owner["token"], organisation)
    assert list(items(empty)) == list(KINDS) and empty["history"] == []
    assert {i["status"] for i in empty["items"]} == {"missing"}
    assert items(empty)["sk_kepengurusan"]["validity"] == "required"
    assert items(empty)["akta_pendirian"]["validity"] == "none"
    assert items(empty)["ktp_ketua"]["validity"] == "optional"

    first = unique_pdf()
    dates = {"valid_from": f"{THIS_YEAR - 1}-01-01", "valid_until": f"{THIS_YEAR + 2}-12-31"}
    kept = upload_standing(
        client, owner["token"], organisation, "sk_kepengurusan", first, "sk-2024.pdf", **dates
    )
    assert kept.status_code == 201, kept.get_json()
    item = items(kept.get_json())["sk_kepengurusan"]
    assert item["status"] == "valid" and item["reason"] is None
    old = item["document"]
    assert (old["valid_from"], old["valid_until"]) == (dates["valid_from"], dates["valid_until"])
    assert old["filename"] == "sk-2024.pdf" and old["current"] is True
    assert old["url"] == path(organisation, old["id"])
    assert client.get(old["url"], headers=auth(owner["token"])).get_data() == first

    second = unique_pdf()
    replaced = upload_standing(client, owner["token"], organisation, "sk_kepengurusan", second)
    assert replaced.status_code == 201, replaced.get_json()
    listing = replaced.get_json()
    new = items(listing)["sk_kepengurusan"]["document"]
    assert new["id"] != old["id"] and new["current"]
    [history] = listing["history"]
    assert history["id"] == old["id"] and history["current"] is False and history["replaced_at"]
    # the replaced version is kept, file and row, never deleted
    assert client.get(old["url"], headers=auth(owner["token"])).get_data() == first
    assert client.get(new["url"], headers=auth(owner["token"])).get_data() == second
    stored = rows(
        platform,
        "SELECT id, replaced_by_id, replaced_at FROM applicant_documents"
        " WHERE applicant_id = :a ORDER BY id",
        a=organisation,
    )
    assert [r["id"] for r in stored] == [old["id"], new["id"]]
    assert stored[0]["replaced_by_id"] == new["id"] and stored[0]["replaced_at"] is not None
    assert stored[1]["replaced_at"] is None

    # the KTP and the NPWP may have no validity at all
    ktp = upload_standing(client, owner["token"], organisation, "ktp_ketua", unique_pdf())
    assert ktp.status_code == 201, ktp.get_json()
    assert items(ktp.get_json())["ktp_ketua"]["document"]["valid_until"] is None
    assert items(ktp.get_json())["ktp_ketua"]["status"] == "valid"


@pytest.mark.parametrize(
    ("kind", "dates", "field", "words"),
    [
        (
            "sk_kepengurusan",
            {"valid_from": f"{THIS_YEAR}-06-01", "valid_until": f"{THIS_YEAR}-05-31"},
            "valid_until",
            "sesudah tanggal mulai",
        ),
        ("surat_domisili", {"valid_from": f"{THIS_YEAR}-01-01"}, "valid_until", "Wajib"),
        ("akta_pendirian", {"valid_until": f"{THIS_YEAR + 5}-01-01"}, "valid_until", "tidak"),
        ("npwp", {"valid_until": f"{THIS_YEAR - 1}-01-01"}, "valid_until", "Sudah lewat"),
        ("ktp_ketua", {"valid_from": "2020-13-45"}, "valid_from", ""),
        ("ktp_ketua", {"valid_until": ""}, "valid_until", ""),  # on the API, empty is no date
        ("kartu_keluarga", {"valid_from": "2020-01-01"}, "kind", ""),
    ],
)
def test_validity_is_checked_and_refused_naming_the_field_storing_nothing(
    client, owner, platform, blob_dir, kind, dates, field, words
):
    organisation = owner["organisation"]["id"]
    with proposals_unchanged(platform), files_unchanged(blob_dir):
        found = problem(
            upload_standing(client, owner["token"], organisation, kind, unique_pdf(), **dates), 422
        )
    assert field in found["errors"], found
    assert words in " ".join(found["errors"][field])


def test_only_an_organisations_own_members_keep_them_and_nobody_else_sees_them(
    client, owner, staff, admin, platform, blob_dir
):
    organisation = create_applicant(client, owner["token"])["id"]
    secret = unique_pdf()
    kept = upload_standing(client, owner["token"], organisation, "ktp_ketua", secret)
    document = items(kept.get_json())["ktp_ketua"]["document"]
    stranger = citizen(client)
    person = create_applicant(client, owner["token"], "individual")["id"]
    before = blob_files(blob_dir)
    with proposals_unchanged(platform):
        for token in (stranger["token"], staff["dispora"]["token"], staff["tapd"]["token"]):
            problem(client.get(path(organisation), headers=auth(token)), 404)
            problem(client.get(document["url"], headers=auth(token)), 404)
            problem(upload_standing(client, token, organisation, "npwp", unique_pdf()), 404)
        problem(client.get(path(organisation)), 401)
        problem(client.get(document["url"]), 401)
        anonymous = client.post(path(organisation), data={"kind": "npwp"})
        problem(anonymous, 401)
        # an admin reads every profile but keeps none; an individual has no standing documents
        assert client.get(path(organisation), headers=auth(admin)).status_code == 200
        problem(upload_standing(client, admin, organisation, "npwp", unique_pdf()), 403)
        assert standing_documents(client, owner["token"], person)["items"] == []
        found = problem(upload_standing(client, owner["token"], person, "npwp"), 409)
        assert "applicant_id" in found["errors"]
    assert blob_files(blob_dir) == before  # no refused caller's file was stored

    # another citizen made a member keeps them too
    helper = citizen(client)
    added = client.post(
        f"/api/v1/proposals/applicants/{organisation}/members",
        json={"user_id": helper["id"]},
        headers=auth(owner["token"]),
    )
    assert added.status_code == 200, added.get_json()
    assert upload_standing(client, helper["token"], organisation, "npwp").status_code == 201

    # the staff who may see the applicant read them once one of its proposals is theirs: its
    # OPD (DISPORA for sport), and Kesra at the stage it acts on; not BPKAD, not another OPD
    draft = create_draft(client, owner["token"], organisation)
    upload_checklist(client, owner["token"], draft)
    problem(client.get(path(organisation), headers=auth(staff["dispora"]["token"])), 404)
    assert submit(client, owner["token"], draft["public_id"]).status_code == 200
    for who in ("dispora", "dispora_officer", "kesra"):
        token = staff[who]["token"]
        assert client.get(path(organisation), headers=auth(token)).status_code == 200, who
        assert client.get(document["url"], headers=auth(token)).get_data() == secret
    for who in ("tapd", "dinkes"):
        problem(client.get(path(organisation), headers=auth(staff[who]["token"])), 404)
    with proposals_unchanged(platform):  # staff read; they never keep an applicant's documents
        found = problem(
            upload_standing(client, staff["dispora"]["token"], organisation, "npwp"), 403
        )
        assert "applicant_id" in found["errors"]
    # a version is read through its own organisation only
    elsewhere = upload_standing(client, owner["token"], owner["organisation"]["id"], "npwp")
    foreign = items(elsewhere.get_json())["npwp"]["document"]["id"]
    problem(client.get(path(organisation, foreign), headers=auth(owner["token"])), 404)


def test_the_checklist_takes_them_from_the_profile_and_submitting_counts_only_valid_ones(
    client, owner, platform, admin
):
    token = owner["token"]
    organisation = create_applicant(client, token)["id"]
    draft = create_draft(client, token, organisation, budget_year=THIS_YEAR + 1)
    pid = draft["public_id"]
    sources = {item["doc_type"]: item["source"] for item in draft["checklist"]}
    assert sources == {code: "proposal" for code in OWN} | {code: "profile" for code in KINDS}
    assert all(
        "profil lembaga" in i["reason"] for i in draft["checklist"] if i["doc_type"] in KINDS
    )

    # the profile's documents are not uploaded to a proposal any more
    with proposals_unchanged(platform):
        for doc_type in ("npwp", "akta_badan_hukum", "surat_domisili"):
            found = problem(upload(client, token, pid, doc_type), 422)
            assert "doc_type" in found["errors"] and "profil" in found["detail"]

    for doc_type in OWN:
        assert upload(client, token, pid, doc_type).status_code == 201
    for kind in KINDS:
        dates = {}
        if kind == "surat_domisili":  # still valid today, but ends before the budget year
            dates = {"valid_from": f"{THIS_YEAR}-01-01", "valid_until": f"{THIS_YEAR}-12-31"}
        elif kind == "sk_kepengurusan":
            dates = {
                "valid_from": f"{THIS_YEAR - 1}-01-01",
                "valid_until": f"{THIS_YEAR + 4}-12-31",
            }
        assert upload_standing(client, token, organisation, kind, **dates).status_code == 201
    # time passes: the board's decree expires (yesterday)
    sk = items(standing_documents(client, token, organisation))["sk_kepengurusan"]["document"]
    yesterday = date.today() - timedelta(days=2)
    rows(
        platform,
        "UPDATE applicant_documents SET valid_until = :d WHERE id = :i",
        d=yesterday,
        i=sk["id"],
    )
    listing = items(standing_documents(client, token, organisation))
    assert listing["sk_kepengurusan"]["status"] == "expired"
    assert "Sudah tidak berlaku" in listing["sk_kepengurusan"]["reason"]
    assert listing["surat_domisili"]["status"] == "valid"  # today it is

    checklist = {i["doc_type"]: i for i in get_proposal(client, token, pid)["checklist"]}
    assert not checklist["sk_kepengurusan"]["uploaded"]
    assert "Sudah tidak berlaku" in checklist["sk_kepengurusan"]["reason"]
    assert not checklist["surat_domisili"]["uploaded"]
    assert f"sebelum tahun anggaran {THIS_YEAR + 1}" in checklist["surat_domisili"]["reason"]
    assert checklist["surat_domisili"]["valid_until"] == f"{THIS_YEAR}-12-31"
    assert checklist["npwp"]["uploaded"] and checklist["npwp"]["source"] == "profile"
    with proposals_unchanged(platform):
        found = problem(submit(client, token, pid), 422)
    assert set(found["errors"]) == {"dokumen"}
    messages = " ".join(found["errors"]["dokumen"])
    assert "SK kepengurusan (profil lembaga): Sudah tidak berlaku" in messages
    assert "Surat keterangan domisili (profil lembaga)" in messages
    assert f"sebelum tahun anggaran {THIS_YEAR + 1}" in messages
    assert "NPWP" not in messages and "Rencana anggaran" not in messages

    for kind in ("sk_kepengurusan", "surat_domisili"):
        renewed = upload_standing(
            client, token, organisation, kind, valid_until=f"{THIS_YEAR + 2}-06-30"
        )
        assert renewed.status_code == 201, renewed.get_json()
    submitted = submit(client, token, pid)
    assert submitted.status_code == 200, submitted.get_json()
    view = submitted.get_json()
    assert all(i["uploaded"] for i in view["checklist"])
    current = {
        k: i["document"]["id"]
        for k, i in items(standing_documents(client, token, organisation)).items()
    }
    used = {d["kind"]: d["id"] for d in view["standing_documents"]}
    assert used == current and all(d["current"] for d in view["standing_documents"])
    recorded = rows(
        platform,
        "SELECT s.kind, s.applicant_document_id FROM proposal_standing_documents s"
        " JOIN proposals p ON p.id = s.proposal_id WHERE p.public_id = :p",
        p=pid,
    )
    assert {r["kind"]: r["applicant_document_id"] for r in recorded} == current
    log = client.get(f"/api/v1/proposals/{pid}/audit", headers=auth(admin))
    entry = next(e for e in log.get_json()["entries"] if e["action"] == "submit")
    assert {d["kind"]: d["document_id"] for d in entry["data"]["standing_documents"]} == current


def test_a_replacement_later_does_not_change_what_a_submitted_proposal_used(
    client, owner, staff, admin
):
    token = owner["token"]
    organisation = create_applicant(client, token)["id"]
    draft = create_draft(client, token, organisation)
    upload_checklist(client, token, draft)
    pid = draft["public_id"]
    assert submit(client, token, pid).status_code == 200
    before = get_proposal(client, staff["dispora"]["token"], pid)
    old_ktp = next(d for d in before["standing_documents"] if d["kind"] == "ktp_ketua")
    old_file = client.get(old_ktp["url"], headers=auth(token)).get_data()

    newer = unique_pdf()
    assert upload_standing(client, token, organisation, "ktp_ketua", newer).status_code == 201
    for who in (token, staff["dispora"]["token"], admin):
        after = get_proposal(client, who, pid)
        ktp = next(d for d in after["standing_documents"] if d["kind"] == "ktp_ketua")
        assert ktp["id"] == old_ktp["id"] and ktp["current"] is False
        item = next(i for i in after["checklist"] if i["doc_type"] == "ktp_ketua")
        assert item["standing_document_id"] == old_ktp["id"]
        assert client.get(ktp["url"], headers=auth(who)).get_data() == old_file
    log = client.get(f"/api/v1/proposals/{pid}/audit", headers=auth(admin)).get_json()
    noted = [e["data"] for e in log["entries"] if e["action"] == "standing_document"]
    assert noted and noted[-1]["kind"] == "ktp_ketua" and noted[-1]["replaces"] == old_ktp["id"]

    # a new proposal of the same organisation takes the new version
    fresh = create_draft(client, token, organisation)
    item = next(i for i in fresh["checklist"] if i["doc_type"] == "ktp_ketua")
    assert item["standing_document_id"] != old_ktp["id"] and item["uploaded"]
    assert (
        client.get(path(organisation, item["standing_document_id"]), headers=auth(token)).get_data()
        == newer
    )


def test_a_proposal_filed_with_copies_of_the_standing_documents_keeps_them(
    client, owner, staff, platform
):
    """Proposals uploaded their akta, SK, NPWP, KTP and domisili themselves before the profile
    held them: those copies still count, so nothing already accepted is lost."""
    token = owner["token"]
    organisation = create_applicant(client, token)["id"]
    draft = create_draft(client, token, organisation)
    pid = draft["public_id"]
    for doc_type in OWN:
        uploaded = upload(client, token, pid, doc_type, unique_pdf())
        assert uploaded.status_code == 201
    first = uploaded.get_json()["documents"][0]["id"]
    for legacy in ("akta_badan_hukum", "sk_kepengurusan", "npwp", "ktp_ketua", "surat_domisili"):
        rows(  # as the old per-proposal upload stored them
            platform,
            "INSERT INTO documents (proposal_id, doc_type, blob_key, content_type, size, sha256,"
            " filename, uploaded_by, uploaded_at) SELECT proposal_id, :t, blob_key, content_type,"
            " size, sha256, filename, uploaded_by, uploaded_at FROM documents WHERE id = :i",
            t=legacy,
            i=first,
        )
    # the profile holds an expired domicile letter: the proposal's own copy still counts
    upload_standing(
        client, token, organisation, "surat_domisili", valid_until=f"{THIS_YEAR + 1}-01-01"
    )
    rows(
        platform,
        "UPDATE applicant_documents SET valid_until = :d WHERE applicant_id = :a",
        d=date.today() - timedelta(days=3),
        a=organisation,
    )
    view = get_proposal(client, token, pid)
    items_ = {i["doc_type"]: i for i in view["checklist"]}
    assert all(i["uploaded"] for i in view["checklist"]), view["checklist"]
    assert all(items_[k]["copy"] and items_[k]["source"] == "profile" for k in KINDS)
    assert items_["sk_kemenkumham"]["copy"]  # the old combined akta counts for both
    submitted = submit(client, token, pid)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["standing_documents"] == []  # nothing of the profile used
    assert len(submitted.get_json()["documents"]) == len(OWN) + 5
    assert act(client, staff["kesra"], pid, "complete").status_code == 200


def test_an_individuals_bansos_checklist_is_all_its_own(client, owner):
    person = create_applicant(client, owner["token"], "individual")
    draft = create_draft(client, owner["token"], person["id"], "bansos")
    assert {i["source"] for i in draft["checklist"]} == {"proposal"}
    assert draft["standing_documents"] == []
    upload_checklist(client, owner["token"], draft)
    assert submit(client, owner["token"], draft["public_id"]).status_code == 200


def test_the_blob_sweeper_keeps_every_version_of_the_profiles_files(
    client, owner, platform, blob_dir, monkeypatch, capsys
):
    organisation = create_applicant(client, owner["token"])["id"]
    first, second = unique_pdf(), unique_pdf()
    for content in (first, second):  # the first is replaced: history, still referred to
        kept = upload_standing(client, owner["token"], organisation, "npwp", content)
        assert kept.status_code == 201, kept.get_json()
    versions = [items(kept.get_json())["npwp"]["document"], *kept.get_json()["history"]]
    files = [blob_dir / "proposals" / d["sha256"][:2] / f"{d['sha256']}.pdf" for d in versions]
    assert [f.read_bytes() for f in files] == [second, first]
    orphan = blob_dir / "proposals" / "ab" / ("ab" * 32 + ".pdf")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"sisa unggahan")
    for path in (orphan, *files):
        os.utime(path, (1_000_000, 1_000_000))  # long past the grace period
    monkeypatch.setenv("AMQP_URI", platform.config["AMQP_URI"])

    assert blobs_command(["sweep", "--older-than", "3600", "--services", "proposals"]) == 0

    assert not orphan.exists()
    assert all(f.exists() for f in files)
    assert '"deleted": 1' in capsys.readouterr().out
