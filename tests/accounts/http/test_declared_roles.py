"""An app brings its roles and agencies in its manifest alone: the accounts service adds the
agency when it starts, an admin can give its roles, and nothing else needs a change."""

import pytest

import servicekit.apps
import servicekit.roles
from servicekit.apps import AppSpec
from servicekit.roles import Agency, Role
from tests.support.factories import PASSWORD, auth, login, unique_email

NEW_APP = AppSpec(
    name="uji_peran",
    service="services.accounts.service:AccountsService",  # never started: only read
    title="Aplikasi uji peran",
    database=False,
    roles=(Role("penelaah", "Penelaah"), Role("verifier", "Nama lain, diabaikan")),
    agencies=(Agency("DINUJI", "Dinas Uji Coba"), Agency("DPUPR", "Nama lain, diabaikan")),
)


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts"]}


@pytest.fixture(scope="module")
def platform(platform_vhost, databases, platform_backend, platform_options):
    """The platform, started while one more app is installed (read from the manifests)."""
    from tests.support.platform import running_platform

    installed = servicekit.apps.installed_apps()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(servicekit.apps, "installed_apps", lambda: (*installed, NEW_APP))
        servicekit.roles.installed_roles.cache_clear()
        servicekit.roles.installed_agencies.cache_clear()
        options = {"backend": platform_backend} | platform_options
        with running_platform(platform_vhost, databases, **options) as running:
            yield running
    servicekit.roles.installed_roles.cache_clear()
    servicekit.roles.installed_agencies.cache_clear()


def staff(client, admin, **overrides):
    body = {
        "name": "Staf Uji",
        "email": unique_email("staf"),
        "password": PASSWORD,
        "roles": ["penelaah"],
        "agency": "DINUJI",
    } | overrides
    return client.post("/api/v1/admin/staff", json=body, headers=auth(admin)), body


def test_the_agency_of_a_new_app_is_listed_once_under_its_first_name(client, admin):
    agencies = client.get("/api/v1/agencies", headers=auth(admin)).get_json()
    listed = {a["code"]: a["name"] for a in agencies}
    assert listed["DINUJI"] == "Dinas Uji Coba"
    assert listed["DPUPR"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert list(listed).count("DINUJI") == 1


def test_an_admin_gives_the_new_role_in_the_new_agency_and_it_reaches_the_token(client, admin):
    response, body = staff(client, admin)
    assert response.status_code == 201, response.get_json()
    token = login(client, body["email"])
    me = client.get("/api/v1/me", headers=auth(token)).get_json()
    assert me["roles"] == ["penelaah"] and me["agency"]["code"] == "DINUJI"


def test_a_role_no_app_declares_is_refused_by_name_and_nothing_is_created(client, admin):
    response, body = staff(client, admin, roles=["bupati"])
    assert response.status_code == 422
    assert "roles" in response.get_json()["errors"]
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": body["email"], "password": PASSWORD}
        ).status_code
        == 401
    )
