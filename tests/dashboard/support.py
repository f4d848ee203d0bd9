"""What the dashboard's tests share: a leader account, the figures as the API gives them."""

from __future__ import annotations

from tests.support.factories import PASSWORD, auth, login, unique_email

SUMMARY = "/api/v1/dashboard/summary"


def leader(client, admin_token: str) -> str:
    """A new account with the role leader (no agency: it works at no desk), signed in."""
    email = unique_email("pimpinan")
    body = {"name": "Pimpinan Uji", "email": email, "password": PASSWORD, "roles": ["leader"]}
    made = client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token))
    assert made.status_code == 201, made.get_json()
    return login(client, email)


def figures(client, token: str, **query) -> dict:
    response = client.get(SUMMARY, query_string=query, headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def comparable(summary: dict) -> dict:
    """The figures without when they were computed and fed."""
    return {k: v for k, v in summary.items() if k not in ("generated_at", "freshness")}
