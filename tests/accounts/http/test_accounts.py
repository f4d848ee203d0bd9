"""Accounts through the real gateway and the real accounts service."""

import pytest

from gateway.accounts.schemas import REGISTRATION_ACCEPTED
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.snapshots import nothing_written


def test_citizen_registers_logs_in_and_reads_their_profile(client):
    email = unique_email()
    registered = client.post(
        "/api/v1/auth/register",
        json={
            "name": "Ahmad Fauzi",
            "email": email,
            "password": PASSWORD,
            "nik": "3604051201850002",
        },
    )
    assert registered.status_code == 202
    assert registered.get_json() == {"detail": REGISTRATION_ACCEPTED, "email": email}

    logged_in = client.post(
        "/api/v1/auth/login", json={"email": email.upper(), "password": PASSWORD}
    )
    body = logged_in.get_json()
    assert logged_in.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    assert body["user"]["roles"] == ["citizen"]

    me = client.get("/api/v1/me", headers=auth(body["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["email"] == email
    assert me.get_json()["nik"] == "3604051201850002"


def test_a_taken_email_in_another_case_is_answered_as_accepted_and_changes_nothing(client):
    user = register_citizen(client)
    again = client.post(
        "/api/v1/auth/register",
        json={"name": "Lagi", "email": user["email"].upper(), "password": "kata-sandi-lain"},
    )
    assert again.status_code == 202
    assert again.get_json() == {"detail": REGISTRATION_ACCEPTED, "email": user["email"].upper()}
    me = client.get("/api/v1/me", headers=auth(login(client, user["email"]))).get_json()
    assert me["id"] == user["id"] and me["name"] == user["name"]  # the owner's, untouched


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@b.id", "password": PASSWORD}, "name"),
        ({"name": "Nama", "email": "bukan-email", "password": PASSWORD}, "email"),
        ({"name": "Nama", "email": "a@b.id", "password": "pendek"}, "password"),
        (
            {"name": "Nama", "email": "a@b.id", "password": PASSWORD, "nik": "3604053213900003"},
            "nik",
        ),
        ({"name": "Nama", "email": "a@b.id", "password": PASSWORD, "role": "admin"}, "role"),
        ({"name": 12, "email": "a@b.id", "password": PASSWORD}, "name"),
    ],
)
def test_invalid_registration_is_422_naming_the_field(client, body, field, platform):
    with nothing_written(platform, "accounts"):
        response = client.post("/api/v1/auth/register", json=body)
    problem = response.get_json()
    assert response.status_code == 422
    assert problem["status"] == 422 and problem["title"] and problem["type"]
    assert field in problem["errors"]


def test_malformed_json_is_400(client, platform):
    with nothing_written(platform, "accounts"):
        response = client.post(
            "/api/v1/auth/register", data="{name: x", content_type="application/json"
        )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_non_object_json_is_422(client, platform):
    with nothing_written(platform, "accounts"):
        response = client.post("/api/v1/auth/register", json=["a", "b"])
    assert response.status_code == 422


def test_wrong_content_type_is_415(client):
    response = client.post(
        "/api/v1/auth/login", data="email=a", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_body_over_one_mebibyte_is_413(client, platform):
    with nothing_written(platform, "accounts"):
        response = client.post(
            "/api/v1/auth/register",
            data='{"name": "' + "x" * (1024 * 1024) + '"}',
            content_type="application/json",
        )
    assert response.status_code == 413
    assert response.get_json()["status"] == 413


def test_wrong_password_is_401_and_repeated_failures_are_throttled(client):
    user = register_citizen(client)
    statuses = []
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/login", json={"email": user["email"], "password": "salah-salah"}
        )
        statuses.append(response.status_code)
    assert statuses[:3] == [401, 401, 401]
    assert 429 in statuses[3:]
    throttled = client.post(
        "/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1


def test_me_without_token_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    generated = client.get("/healthz")
    assert echoed.headers["X-Request-ID"] == "abc-123"
    assert len(generated.headers["X-Request-ID"]) >= 16
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert forged.headers["X-Request-ID"] != "<script>alert(1)</script>"


def test_problem_bodies_carry_the_request_id(client):
    response = client.get("/api/v1/me", headers={"X-Request-ID": "trace-77"})
    assert response.get_json()["request_id"] == "trace-77"


def test_unknown_path_and_wrong_method_are_problems(client):
    assert client.get("/api/v1/nothing-here").status_code == 404
    wrong = client.get("/api/v1/auth/login")
    assert wrong.status_code == 405
    assert wrong.mimetype == "application/problem+json"


def test_public_agency_list_has_the_seeded_opd(client):
    codes = {a["code"] for a in client.get("/api/v1/agencies").get_json()}
    assert {"DPUPR", "DINSOS", "KESRA", "DISPORA", "DISKOMINFOSATIK", "BPKAD"} <= codes


def test_admin_creates_staff_who_log_in_with_their_agency_in_the_token(client, admin_token):
    email = unique_email("verifikator")
    created = client.post(
        "/api/v1/admin/staff",
        headers=auth(admin_token),
        json={
            "name": "Verifikator Dinsos",
            "email": email,
            "password": PASSWORD,
            "roles": ["verifier"],
            "agency": "DINSOS",
        },
    )
    assert created.status_code == 201, created.get_json()
    token = login(client, email)
    me = client.get("/api/v1/me", headers=auth(token)).get_json()
    assert me["roles"] == ["verifier"]
    assert me["agency"] == {"code": "DINSOS", "name": "Dinas Sosial"}
    listed = client.get(
        "/api/v1/admin/staff?agency=DINSOS&role=verifier", headers=auth(admin_token)
    ).get_json()
    assert email in [u["email"] for u in listed["items"]]


def test_budget_team_outside_bpkad_is_refused(client, admin_token, platform):
    with nothing_written(platform, "accounts"):
        response = client.post(
            "/api/v1/admin/staff",
            headers=auth(admin_token),
            json={
                "name": "TAPD",
                "email": unique_email(),
                "password": PASSWORD,
                "roles": ["budget_team"],
                "agency": "DINSOS",
            },
        )
    assert response.status_code == 422
    assert "agency" in response.get_json()["errors"]


@pytest.mark.parametrize("path", ["/api/v1/admin/staff", "/api/v1/admin/agencies"])
def test_citizen_trying_an_admin_endpoint_is_403(client, path):
    token = login(client, register_citizen(client)["email"])
    assert client.get(path, headers=auth(token)).status_code == 403


def test_citizen_cannot_create_staff_even_with_a_valid_body(client, platform):
    token = login(client, register_citizen(client)["email"])
    with nothing_written(platform, "accounts"):
        response = client.post(
            "/api/v1/admin/staff",
            headers=auth(token),
            json={
                "name": "Palsu",
                "email": unique_email(),
                "password": PASSWORD,
                "roles": ["admin"],
            },
        )
    assert response.status_code == 403


def test_bad_query_parameters_are_400_naming_them(client, admin_token):
    response = client.get(
        "/api/v1/admin/staff?per_page=100000&colour=red", headers=auth(admin_token)
    )
    errors = response.get_json()["errors"]
    assert response.status_code == 400
    assert "per_page" in errors and "colour" in errors
