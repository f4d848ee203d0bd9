"""Serang Open's part of the personal-data scan (tests/security/test_personal_data.py) for the
routes added after the platform's scan: each printable document of every planted proposal is
asked for, as an anonymous visitor and as another citizen (both are refused; the scan proves
no planted value comes out). The proposals themselves are planted by the platform's scan."""

from __future__ import annotations


def plant(platform, admin_token: str, w) -> None:
    w.values |= {"document": ["berita-acara", "nphd", "kuitansi"]}
