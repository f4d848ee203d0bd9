"""The OpenAPI document and the offline docs page."""


def test_openapi_document_lists_endpoints_with_schemas_from_the_code(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    register = spec["paths"]["/api/v1/auth/register"]["post"]
    body_ref = register["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
    assert {"name", "email", "password"} <= set(body["required"])
    assert "422" in register["responses"] and "202" in register["responses"]
    assert "409" not in register["responses"]  # a taken email or NIK is not told apart
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"bearer": []}]
    assert "Problem" in spec["components"]["schemas"]


def test_docs_page_is_readable_and_loads_nothing_from_the_internet(client):
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/api/v1/auth/login" in html and "Masuk" in html
    assert "http://" not in html and "https://" not in html  # no CDN assets


def test_home_page_is_in_bahasa_indonesia(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="id"' in html and "Kabupaten Serang" in html
