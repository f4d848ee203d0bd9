"""An applicant's profile changed on its web form (/saya/pemohon/<id>/ubah), as a browser uses it
(a plain HTML form with the map picker): the form is filled with what is kept, private
(no-store), and saves through the same call as PUT /api/v1/proposals/organisations|individuals
/<id>, so the API shows the change at once. Who may change a profile is the service's rule: its
members. Another citizen, a member of another organisation, and the staff and admins who may
read the profile are refused and nothing is written; a refused value (the schema's or the
service's) comes back beside its field, named in words, with everything typed kept.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.proposals.conftest import (
    citizen,
    create_applicant,
    fresh_point,
    nik,
    organisation_body,
    submitted_proposal,
)
from tests.proposals.forms import profile_form
from tests.support.factories import auth, create_admin
from tests.support.snapshots import nothing_written
from tests.support.web import csrf_of, page, signed_in

SAVED = "Profil pemohon tersimpan"


def profile(client, token: str, applicant_id: int) -> dict:
    response = client.get(f"/api/v1/proposals/applicants/{applicant_id}", headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def save(browser, applicant_id: int, form: dict, token: str | None):
    data = form | ({"csrf": token} if token is not None else {})
    return browser.post(f"/saya/pemohon/{applicant_id}/ubah", data=data)


def summary_of(text: str) -> str:
    return text.split('role="alert"')[1].split("</div>")[0]


def beside(text: str, name: str) -> str:
    """The refusal shown under the input `name`, tied to it (aria-describedby, aria-invalid)."""
    field = re.search(rf'<input id="{name}" name="{name}"[^>]*>', text)
    assert field, f"no input {name}"
    assert 'aria-invalid="true"' in field.group(0), field.group(0)
    assert f"{name}-error" in field.group(0), field.group(0)
    said = re.search(rf'<p class="error" id="{name}-error">([^<]*)</p>', text)
    assert said, f"no refusal beside {name}"
    return said.group(1)


def without_time(applicant: dict) -> dict:
    return {k: v for k, v in applicant.items() if k != "updated_at"}


@pytest.fixture(scope="module")
def owner(client):
    return citizen(client)


def test_a_member_changes_the_organisation_on_its_form_and_the_api_shows_it(
    platform, client, owner
):
    kept = create_applicant(client, owner["token"])
    aid, browser = kept["id"], signed_in(platform, owner["email"])
    assert f'href="/saya/pemohon/{aid}/ubah"' in page(browser, f"/saya/pemohon/{aid}")

    opened = browser.get(f"/saya/pemohon/{aid}/ubah")
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    form = html.unescape(opened.get_data(as_text=True))
    chair = kept["responsible_people"][0]
    for value in (kept["name"], kept["phone"], kept["email"], kept["npwp"], chair["nik"]):
        assert f'value="{value}"' in form
    assert f'value="{kept["bank_account_number"]}"' in form
    assert f'value="{kept["established_on"]}"' in form
    assert '<option value="yayasan" selected>' in form
    assert 'name="person2_name"' in form  # an empty row to add someone
    assert 'name="nik"' not in form  # an organisation has no NIK of its own

    point = fresh_point()
    changes = {
        "legal_form": "perkumpulan",
        "sk_kepengurusan": "SK/02/2026",
        "address": "Jl. Kenanga Baru No. 9",
        "lat": str(point["lat"]),
        "lon": str(point["lon"]),
        "phone": "081298765432",
        "email": "sekretariat.baru@example.id",
        "bank_name": "Bank BRI",
        "bank_account_number": "0099887766",
        "person2_name": "Dewi Bendahara",
        "person2_position": "Bendahara",
        "person2_nik": nik(),
    }
    with nothing_written(platform, "proposals"):  # the CSRF token is part of the form
        assert save(browser, aid, profile_form(kept, **changes), None).status_code == 403
    saved = save(browser, aid, profile_form(kept, **changes), csrf_of(form))
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    assert saved.headers["Location"] == f"/saya/pemohon/{aid}?ok=profil"
    shown = page(browser, saved.headers["Location"])
    assert SAVED in shown and "Jl. Kenanga Baru No. 9" in shown

    now = profile(client, owner["token"], aid)
    assert {k: now[k] for k in changes if not k.startswith(("person", "lat", "lon"))} == {
        k: v for k, v in changes.items() if not k.startswith(("person", "lat", "lon"))
    }
    assert (now["lat"], now["lon"]) == (pytest.approx(point["lat"]), pytest.approx(point["lon"]))
    assert now["desa_code"]  # named again from the new point
    assert now["responsible_people"] == [
        chair,
        {
            "name": "Dewi Bendahara",
            "position": "Bendahara",
            "nik": changes["person2_nik"],
            "phone": None,
        },
    ]
    unchanged = ("name", "legal_entity_number", "established_on", "npwp", "bank_account_name")
    assert {k: now[k] for k in unchanged} == {k: kept[k] for k in unchanged}


def test_every_member_may_change_it_and_emptying_a_row_removes_its_person(platform, client, owner):
    people = [
        {"name": "Haji Ahmad Ketua", "position": "Ketua", "nik": nik(), "phone": None},
        {"name": "Ujang Sekretaris", "position": "Sekretaris", "nik": None, "phone": None},
    ]
    kept = create_applicant(client, owner["token"], responsible_people=people)
    aid, other = kept["id"], citizen(client)
    added = client.post(
        f"/api/v1/proposals/applicants/{aid}/members",
        json={"user_id": other["id"]},
        headers=auth(owner["token"]),
    )
    assert added.status_code == 200, added.get_json()
    browser = signed_in(platform, other["email"])
    form = page(browser, f"/saya/pemohon/{aid}/ubah")
    assert 'value="Ujang Sekretaris"' in form and 'name="person3_name"' in form

    emptied = {f"person1_{k}": "" for k in ("name", "position", "nik", "phone")}
    saved = save(browser, aid, profile_form(kept, **emptied), csrf_of(form))
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    assert profile(client, owner["token"], aid)["responsible_people"] == [people[1]]


def test_an_individual_changes_its_profile_on_the_same_form(platform, client, owner):
    kept = create_applicant(client, owner["token"], "individual")
    aid, browser = kept["id"], signed_in(platform, owner["email"])
    form = page(browser, f"/saya/pemohon/{aid}/ubah")
    assert "Ubah profil pemohon perorangan" in form
    assert f'value="{kept["nik"]}"' in form and f'value="{kept["phone"]}"' in form
    assert 'name="legal_form"' not in form and 'name="person1_name"' not in form

    changes = {
        "name": "Siti Nurhasanah Binti Ahmad",
        "bank_account_name": "Siti Nurhasanah Binti Ahmad",
        "nik": nik(),
        "phone": "081377788899",
        "email": "",  # emptied: kept as nothing
    }
    saved = save(browser, aid, profile_form(kept, **changes), csrf_of(form))
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    assert SAVED in page(browser, saved.headers["Location"])
    now = profile(client, owner["token"], aid)
    assert {k: now[k] for k in changes} == changes | {"email": None}
    assert now["kind"] == "individual" and now["address"] == kept["address"]


def test_a_refused_value_comes_back_beside_its_field_with_what_was_typed(platform, client, owner):
    kept = create_applicant(client, owner["token"])
    aid, browser = kept["id"], signed_in(platform, owner["email"])
    token = csrf_of(page(browser, f"/saya/pemohon/{aid}/ubah"))
    typed = profile_form(
        kept,
        name="Yayasan Nama Baru Sekali",
        email="bukan-alamat-email",
        bank_account_number="12-AB-34",
        person3_nik=nik(),  # row 2 left empty, row 3 without a name
    )
    with nothing_written(platform, "proposals"):
        refused = save(browser, aid, typed, token)
    assert refused.status_code == 422
    assert refused.headers["Cache-Control"] == "no-store"
    text = html.unescape(refused.get_data(as_text=True))
    summary = summary_of(text)
    for label in ("Email", "Nomor rekening", "Pengurus 3 — Nama"):
        assert f"<strong>{label}</strong>" in summary, summary
    assert "bank_account_number" not in summary and "responsible_people" not in summary
    assert beside(text, "email") == "Alamat email tidak valid."
    assert beside(text, "bank_account_number") == "Nomor rekening hanya angka."
    assert beside(text, "person3_name") == "Tidak boleh kosong."
    for value in (
        "Yayasan Nama Baru Sekali",
        "bukan-alamat-email",
        "12-AB-34",
        typed["person3_nik"],
    ):
        assert f'value="{value}"' in text  # nothing typed is lost
    assert without_time(profile(client, owner["token"], aid)) == without_time(kept)


def test_a_change_the_service_refuses_is_named_beside_its_field_too(platform, client, owner):
    """Once a proposal is submitted, the account must stay in the organisation's own name: the
    service's rule, refused after the schema passed."""
    submitted = submitted_proposal(client, owner["token"])
    aid = submitted["applicant"]["id"]
    kept, browser = profile(client, owner["token"], aid), signed_in(platform, owner["email"])
    token = csrf_of(page(browser, f"/saya/pemohon/{aid}/ubah"))
    typed = profile_form(kept, bank_account_name="Budi Santoso Pribadi")
    with nothing_written(platform, "proposals"):
        refused = save(browser, aid, typed, token)
    assert refused.status_code == 422
    text = html.unescape(refused.get_data(as_text=True))
    assert "<strong>Nama pemilik rekening</strong>" in summary_of(text)
    assert "atas nama lembaga" in beside(text, "bank_account_name")
    assert 'value="Budi Santoso Pribadi"' in text


def test_no_one_outside_the_organisation_may_open_or_save_its_form(platform, client, owner):
    kept = create_applicant(client, owner["token"])
    aid = kept["id"]
    of_another = citizen(client)  # a member of another organisation, not of this one
    create_applicant(client, of_another["token"])
    for outsider in (of_another, citizen(client)):
        browser = signed_in(platform, outsider["email"])
        page(browser, f"/saya/pemohon/{aid}/ubah", 404)
        token = csrf_of(page(browser, "/saya"))
        with nothing_written(platform, "proposals"):
            refused = save(browser, aid, profile_form(kept, name="Yayasan Direbut Orang"), token)
        assert refused.status_code == 404
        text = refused.get_data(as_text=True)
        assert kept["name"] not in text and kept["phone"] not in text

    anonymous = platform.app.test_client()
    with nothing_written(platform, "proposals"):
        sent = anonymous.post(f"/saya/pemohon/{aid}/ubah", data=profile_form(kept))
    assert sent.status_code in (302, 303) and "/masuk" in sent.headers["Location"]
    assert without_time(profile(client, owner["token"], aid)) == without_time(kept)


def test_staff_and_admins_who_may_read_the_profile_cannot_change_it(platform, client, owner, staff):
    """They read it (the service lets them, to handle the proposal); changing it is for its
    members only, on this form as on PUT /api/v1/proposals/organisations/<id>."""
    submitted = submitted_proposal(client, owner["token"])  # at DISPORA
    aid = submitted["applicant"]["id"]
    kept = profile(client, owner["token"], aid)
    admin_email = create_admin(platform.config["ACCOUNTS_DATABASE_URL"])
    for email in (staff["dispora"]["email"], admin_email):
        browser = signed_in(platform, email)
        shown = page(browser, f"/saya/pemohon/{aid}")
        assert kept["name"] in shown and f"/saya/pemohon/{aid}/ubah" not in shown
        page(browser, f"/saya/pemohon/{aid}/ubah", 403)
        token = csrf_of(shown)  # the sign-out form's: a token of this session
        with nothing_written(platform, "proposals"):
            valid = save(browser, aid, profile_form(kept, phone="081211112222"), token)
            invalid = save(browser, aid, profile_form(kept, email="salah"), token)
        assert valid.status_code == 403 and invalid.status_code == 403
        assert "bukan milik Anda" in valid.get_data(as_text=True)
        assert 'name="email"' not in invalid.get_data(as_text=True)  # no form shown them
    with nothing_written(platform, "proposals"):  # the service's own rule, on the API as well
        put = client.put(
            f"/api/v1/proposals/organisations/{aid}",
            json=organisation_body(),
            headers=auth(staff["dispora"]["token"]),
        )
    assert put.status_code == 403
