"""A browser's way through the sign-in pages (forms carry the token their page gave), and
reading the pages it is shown."""

from __future__ import annotations

import html
import re

from tests.support.factories import PASSWORD

_PRA = re.compile(r'name="pra" value="([A-Za-z0-9_-]+)"')
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def form_token(browser, path: str) -> str:
    """The login/sign-up form's token, as a browser gets it by opening the page first."""
    found = _PRA.search(browser.get(path).get_data(as_text=True))
    assert found, f"{path} has no form token"
    return found.group(1)


def post_login(browser, email: str, password: str = PASSWORD, following: str = ""):
    data = {"email": email, "password": password, "next": following}
    return browser.post("/masuk", data=data | {"pra": form_token(browser, "/masuk")})


def post_sign_up(browser, **fields):
    return browser.post("/daftar", data=fields | {"pra": form_token(browser, "/daftar")})


def web_login(browser, email: str, password: str = PASSWORD, following: str = "") -> str:
    response = post_login(browser, email, password, following)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def web_sign_up(browser, name: str, email: str, password: str = PASSWORD) -> None:
    """Sign up on /daftar, then sign in on /masuk where it leads, as a person would (the sign-up
    never signs anyone in: that would tell whether the account was new)."""
    response = post_sign_up(browser, name=name, email=email, password=password)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert response.headers["Location"] == "/masuk?terdaftar=1"
    web_login(browser, email, password)


def signed_in(platform, email: str):
    """A browser of its own (cookie jar) signed in on /masuk as `email`."""
    browser = platform.app.test_client()
    web_login(browser, email)
    return browser


def page(browser, path: str, status: int = 200) -> str:
    """The page's text as a person reads it (entities unescaped), answered with `status`."""
    response = browser.get(path)
    assert response.status_code == status, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def csrf_of(text: str) -> str:
    """The CSRF token of a signed-in page's forms."""
    found = _CSRF.search(text)
    assert found, "the page has no CSRF token"
    return found.group(1)
