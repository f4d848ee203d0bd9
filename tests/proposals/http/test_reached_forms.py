"""The citizen's two blank forms, which only refusals (a signed-out visitor sent to sign in) and
the security checks opened before (issue #18): GET /saya/pemohon/baru, the applicant profile
form, by kind; GET /saya/usulan/baru, the proposal form, offering the profiles the citizen may
act for (proposals.my_applicants) and nobody else's."""

from __future__ import annotations

import re

from tests.proposals.conftest import citizen, create_applicant
from tests.support.factories import auth
from tests.support.web import web_login

CSRF = re.compile(r'name="csrf" value="[^"]+"')
OPTION = re.compile(r'<option value="(\d+)" ?(selected)?>([^<]*)</option>')


def browser_of(platform, person: dict):
    browser = platform.app.test_client()
    web_login(browser, person["email"])
    return browser


def page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, response.headers.get("Location")
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def applicants(client, person: dict) -> list[dict]:
    return client.get("/api/v1/proposals/applicants", headers=auth(person["token"])).get_json()


def test_the_proposal_form_offers_the_citizens_own_profiles_only(platform, client):
    owner, other = citizen(client), citizen(client)
    organisation = create_applicant(client, owner["token"])
    person = create_applicant(client, owner["token"], "individual")
    theirs = create_applicant(client, other["token"])

    form = page(browser_of(platform, owner), "/saya/usulan/baru")

    assert CSRF.search(form) and 'action="/saya/usulan/baru"' in form
    offered = {int(value): label for value, _, label in OPTION.findall(form)}
    assert offered == {
        organisation["id"]: f"{organisation['name']} (lembaga)",
        person["id"]: f"{person['name']} (perorangan)",
    }
    assert theirs["name"] not in form
    assert person["nik"] not in form and organisation["bank_account_number"] not in form


def test_the_profile_made_just_before_comes_chosen(platform, client):
    owner = citizen(client)
    create_applicant(client, owner["token"])
    person = create_applicant(client, owner["token"], "individual")

    form = page(browser_of(platform, owner), f"/saya/usulan/baru?pemohon={person['id']}")

    chosen = [int(value) for value, selected, _ in OPTION.findall(form) if selected]
    assert chosen == [person["id"]]


def test_without_a_profile_the_proposal_form_sends_the_citizen_to_make_one(platform, client):
    newcomer = citizen(client)

    form = page(browser_of(platform, newcomer), "/saya/usulan/baru")

    assert "Buat dahulu profil pemohon" in form
    assert 'href="/saya/pemohon/baru?jenis=organisation"' in form
    assert 'href="/saya/pemohon/baru?jenis=individual"' in form
    assert 'name="title"' not in form  # no proposal form until there is someone to propose for


def test_the_profile_form_asks_what_its_kind_needs_and_opening_it_creates_nothing(platform, client):
    owner = citizen(client)
    browser = browser_of(platform, owner)

    organisation = page(browser, "/saya/pemohon/baru")
    assert "Profil pemohon lembaga" in organisation and CSRF.search(organisation)
    assert 'name="jenis" value="organisation"' in organisation
    assert 'name="legal_form"' in organisation and 'name="person1_nik"' in organisation
    assert 'name="nik"' not in organisation
    assert '<option value="yayasan"' in organisation

    individual = page(browser, "/saya/pemohon/baru?jenis=individual")
    assert "Profil pemohon perorangan" in individual
    assert 'name="jenis" value="individual"' in individual and 'name="nik"' in individual
    assert 'name="legal_form"' not in individual and 'name="npwp"' not in individual

    unknown = page(browser, "/saya/pemohon/baru?jenis=lainnya")  # anything else: a lembaga's
    assert 'name="jenis" value="organisation"' in unknown

    assert applicants(client, owner) == []
