"""The manifest of Transparansi (registered in pyproject.toml, group `gawe.apps`): the daily,
signed digests that commit the head of every public trail of the apps (issue #17,
docs/transparency.md), so that nobody, the regency included, can rewrite a published step
unnoticed."""

from servicekit.apps import AppSpec, Section
from servicekit.opendata import DAILY, Dataset, Distribution

APP = AppSpec(
    name="transparency",
    service="services.transparency.service:TransparencyService",
    title="Transparansi",
    migrations="services.transparency:migrations",
    # the apps whose public trails it commits: every app with `trails=True` must be here (its
    # bus permissions; tests/transparency/http/test_digests.py checks)
    calls=("complaints", "proposals"),
    gateway=("gateway.transparency.rest",),
    # the digests' signing key: in a cluster from gawe-secrets, never a file in a pod
    secrets=("TRANSPARENCY_SIGNING_KEY",),
    pages={
        "home": (
            Section(
                "Jejak yang bisa diperiksa siapa saja",
                text="Setiap langkah usulan hibah dan laporan warga tercatat dalam rantai hash "
                "publik, dan setiap hari ringkasannya ditandatangani dan diterbitkan.",
                links=(("Ringkasan harian", "/transparansi"),),
            ),
        ),
    },
    datasets=(
        Dataset(
            "jejak-audit-harian",
            "Ringkasan harian jejak audit publik (ditandatangani)",
            "Setiap hari, kepala setiap rantai hash jejak publik usulan hibah dan bansos serta "
            "laporan warga yang berubah, dengan akar Merkle, hash ringkasan sebelumnya dan "
            "tanda tangan Ed25519; kunci publiknya diterbitkan. Siapa pun dapat memeriksanya "
            "dengan python -m gawe_verify.",
            ("transparansi", "audit", "rantai hash", "tanda tangan"),
            DAILY,
            (
                Distribution(
                    "JSON",
                    "application/json",
                    "/api/v1/transparency/digests",
                    "Daftar ringkasan harian (JSON)",
                ),
                Distribution(
                    "JSON",
                    "application/json",
                    "/api/v1/transparency/key",
                    "Kunci publik penanda tangan (Ed25519)",
                ),
                Distribution(
                    "JSON",
                    "application/json",
                    "/api/v1/registry/trails",
                    "Jejak publik semua usulan hibah dan bansos",
                ),
                Distribution(
                    "JSON",
                    "application/json",
                    "/api/v1/complaints/trails",
                    "Jejak publik semua laporan warga",
                ),
            ),
            "Transparansi",
        ),
    ),
)
