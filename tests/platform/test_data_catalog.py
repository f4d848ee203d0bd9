"""The open-data catalogue (issue #17): `/api/v1/data/catalog` lists every dataset the installed
apps publish (their manifests), each with its title, description, publisher, license, update
frequency and distributions, and every download link answers with what it says; the page
`/data` shows the same; the license follows GAWE_OPEN_DATA_LICENSE."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from servicekit.apps import installed_apps
from tests.proposals.conftest import load_demo

DCAT_FIELDS = {
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "identifier",
    "accessLevel",
    "license",
    "accrualPeriodicity",
    "distribution",
}


@pytest.fixture(scope="module")
def demo(platform):
    load_demo(platform)


def test_the_catalogue_lists_every_dataset_of_the_installed_apps_with_working_links(client, demo):
    answer = client.get("/api/v1/data/catalog")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    catalog = answer.get_json()
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    declared = {d.identifier for spec in installed_apps() for d in spec.datasets}
    found = {d["identifier"].split("#")[-1]: d for d in catalog["dataset"]}
    assert (
        set(found) == declared
        and {
            "serang-open-hibah-bansos",
            "serang-open-usulan",
            "pengaduan-infrastruktur",
            "batas-wilayah",
            "angka-terbuka",
        }
        <= declared
    )
    for identifier, dataset in found.items():
        assert set(dataset) >= DCAT_FIELDS, identifier
        assert dataset["publisher"]["name"] == "Pemerintah Kabupaten Serang"
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset["title"] and dataset["description"] and dataset["keyword"]
        assert dataset["distribution"], identifier
        for distribution in dataset["distribution"]:
            link = urlsplit(distribution["downloadURL"])
            path = link.path + (f"?{link.query}" if link.query else "")
            got = client.get(path)
            assert got.status_code == 200, (identifier, path, got.status_code)
            assert got.mimetype == distribution["mediaType"], (path, got.mimetype)


def test_the_data_page_shows_the_catalogue_to_people(client):
    page = client.get("/data")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    catalog = client.get("/api/v1/data/catalog").get_json()
    for dataset in catalog["dataset"]:
        assert dataset["title"] in text
        for distribution in dataset["distribution"]:
            assert distribution["downloadURL"] in text
    assert "/api/v1/data/catalog" in text and "creativecommons.org/licenses/by/4.0" in text


def test_every_dataset_says_the_license_the_regency_chose(client, monkeypatch):
    chosen = "https://creativecommons.org/publicdomain/zero/1.0/"
    monkeypatch.setenv("GAWE_OPEN_DATA_LICENSE", chosen)
    catalog = client.get("/api/v1/data/catalog").get_json()
    assert {d["license"] for d in catalog["dataset"]} == {chosen}
    assert client.get("/api/v1/registry/grants.360g.json").get_json()["license"] == chosen
    assert chosen in client.get("/data").get_data(as_text=True)
