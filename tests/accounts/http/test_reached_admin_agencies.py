"""GET /api/v1/admin/agencies, which only refusals and the authorisation matrix called before
(issue #18): the admin console's list of the regency's agencies (OPD), the codes staff accounts
are bound to."""

from __future__ import annotations

from servicekit.roles import installed_agencies
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email

PATH = "/api/v1/admin/agencies"


def test_an_admin_lists_every_agency_the_apps_declare_by_code_and_name(client, admin_token):
    response = client.get(PATH, headers=auth(admin_token))

    assert response.status_code == 200
    agencies = response.get_json()
    codes = [a["code"] for a in agencies]
    assert len(codes) == len(set(codes))
    declared = {agency.code for agency in installed_agencies()}
    assert declared <= set(codes)
    assert all(set(a) == {"code", "name"} and a["name"] for a in agencies)
    by_code = {a["code"]: a["name"] for a in agencies}
    assert "Pekerjaan Umum" in by_code["DPUPR"]
    assert agencies == client.get("/api/v1/agencies").get_json()  # nothing hidden from the public


def test_a_listed_code_is_what_a_staff_account_is_bound_to(client, admin_token):
    [agency] = [
        a for a in client.get(PATH, headers=auth(admin_token)).get_json() if a["code"] == "DLH"
    ]
    email = unique_email("petugas.dlh")
    created = client.post(
        "/api/v1/admin/staff",
        headers=auth(admin_token),
        json={
            "name": "Petugas Lingkungan",
            "email": email,
            "password": PASSWORD,
            "roles": ["officer"],
            "agency": agency["code"],
        },
    )
    assert created.status_code == 201, created.get_json()

    staff = client.get(
        "/api/v1/admin/staff", query_string={"agency": agency["code"]}, headers=auth(admin_token)
    ).get_json()
    assert [s["agency"] for s in staff["items"] if s["email"] == email] == [agency]
    me = client.get("/api/v1/me", headers=auth(login(client, email))).get_json()
    assert me["agency"] == agency


def test_nobody_but_an_admin_gets_the_console_list(client):
    citizen = login(client, register_citizen(client)["email"])
    refused = client.get(PATH, headers=auth(citizen))
    assert refused.status_code == 403 and "DPUPR" not in refused.get_data(as_text=True)
    signed_out = client.get(PATH)
    assert signed_out.status_code == 401 and "DPUPR" not in signed_out.get_data(as_text=True)
