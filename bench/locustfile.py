"""Load scenarios for `make bench` (locust, headless). BENCH_SCENARIO picks one.

- login:   POST /api/v1/auth/login (argon2id verification: CPU-bound by design)
- me:      GET /api/v1/me with a token (JWT check + one RPC + one query)
- healthz: GET /healthz (the gateway alone: the baseline other scenarios are compared with)
- locate:  GET /api/v1/gis/locate with points spread over Kabupaten Serang
- file_report, list_reports, registry: see their classes
- ogc_bbox, ogc_item, ogc_layer: OGC API Features items of the desa under BENCH_OGC_BASE ("/gis" for
  Gawe, "" for pygeoapi, bench/peer.py): the same queries against both
"""

import os
import random
import uuid

from locust import FastHttpUser, constant, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "login")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")


def own_account(client) -> str:
    """A citizen account of this simulated user alone: concurrent sign-ins to one account are
    refused by design (the lockout counts every attempt atomically), so users never share."""
    email = f"bench.{uuid.uuid4().hex[:12]}@gawe.example"
    body = {"name": "Warga Bench", "email": email, "password": PASSWORD}
    client.post("/api/v1/auth/register", json=body, name="(setup) register")
    return email


class LoginUser(FastHttpUser):
    wait_time = constant(0)
    abstract = SCENARIO != "login"

    def on_start(self):
        self.email = own_account(self.client)

    @task
    def login(self):
        self.client.post("/api/v1/auth/login", json={"email": self.email, "password": PASSWORD})


class MeUser(FastHttpUser):
    wait_time = constant(0)
    abstract = SCENARIO != "me"

    def on_start(self):
        response = self.client.post(
            "/api/v1/auth/login",
            json={"email": own_account(self.client), "password": PASSWORD},
            name="(setup) login",
        )
        self.token = response.json()["access_token"]

    @task
    def me(self):
        self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {self.token}"})


class HealthzUser(FastHttpUser):
    wait_time = constant(0)
    abstract = SCENARIO != "healthz"

    @task
    def healthz(self):
        self.client.get("/healthz")


class LocateUser(FastHttpUser):
    wait_time = constant(0)
    abstract = SCENARIO != "locate"

    @task
    def locate(self):
        lat = random.uniform(-6.30, -5.85)
        lon = random.uniform(105.90, 106.38)
        self.client.get(
            f"/api/v1/gis/locate?lat={lat:.6f}&lon={lon:.6f}", name="/api/v1/gis/locate"
        )


def _inside_points(client) -> list[tuple[float, float]]:
    """Points certainly inside a desa: representative points of the GIS desa layer."""
    from shapely.geometry import shape

    features = client.get("/gis/collections/desa/items?limit=1000", name="(setup) layer").json()[
        "features"
    ]
    points = []
    for feature in features:
        point = shape(feature["geometry"]).representative_point()
        points.append((point.y, point.x))
    return points


class FileReportUser(FastHttpUser):
    """HTTP → complaints → gis.locate → database → outbox event → notifications email."""

    wait_time = constant(0)
    abstract = SCENARIO != "file_report"
    points: list = []

    def on_start(self):
        response = self.client.post(
            "/api/v1/auth/login",
            json={"email": own_account(self.client), "password": PASSWORD},
            name="(setup) login",
        )
        self.token = response.json()["access_token"]
        if not FileReportUser.points:
            FileReportUser.points = _inside_points(self.client)

    @task
    def file_report(self):
        lat, lon = random.choice(FileReportUser.points)
        body = {
            "category": "jalan-rusak",
            "lat": lat,
            "lon": lon,
            "description": "Jalan berlubang, uji beban.",
            "attributes": {
                "panjang_kerusakan_m": random.randint(10, 5000),
                "tingkat_kerusakan": "sedang",
                "jenis_jalan": "desa",
            },
            "ignore_duplicates": True,
        }
        self.client.post(
            "/api/v1/complaints", json=body, headers={"Authorization": f"Bearer {self.token}"}
        )


class ListReportsUser(FastHttpUser):
    """Public listing of reports in a bbox of about 5 x 5 km, 100 per page."""

    wait_time = constant(0)
    abstract = SCENARIO != "list_reports"

    @task
    def list_pages(self):
        page = random.randint(1, 50)
        self.client.get(
            f"/api/v1/complaints?per_page=100&page={page}", name="/api/v1/complaints?per_page=100"
        )

    @task
    def list_reports(self):
        lon = random.uniform(105.85, 106.35)
        lat = random.uniform(-6.30, -5.85)
        bbox = f"{lon:.4f},{lat:.4f},{lon + 0.045:.4f},{lat + 0.045:.4f}"
        self.client.get(
            f"/api/v1/complaints?bbox={bbox}&per_page=100", name="/api/v1/complaints?bbox"
        )


class RegistryUser(FastHttpUser):
    """Serang Open's public registry, first pages, as the public reads it."""

    wait_time = constant(0)
    abstract = SCENARIO != "registry"

    @task
    def registry(self):
        page = random.randint(1, 3)
        self.client.get(
            f"/api/v1/registry/proposals?page={page}", name="/api/v1/registry/proposals"
        )


OGC_BASE = os.environ.get("BENCH_OGC_BASE", "/gis")
OGC_ITEMS = f"{OGC_BASE}/collections/desa/items"


class OgcUser(FastHttpUser):
    """One of the three OGC queries of issue #15 on the desa: a bbox of about 5 x 5 km (100 at
    most), a single desa by its code, the whole layer (what a map page loads)."""

    wait_time = constant(0)
    abstract = not SCENARIO.startswith("ogc_")
    codes: list = []

    def on_start(self):
        if not OgcUser.codes:
            layer = self.client.get(f"{OGC_ITEMS}?limit=1000&f=json", name="(setup) layer")
            OgcUser.codes = [feature["id"] for feature in layer.json()["features"]]

    @task
    def query(self):
        if SCENARIO == "ogc_bbox":
            lon = random.uniform(105.85, 106.35)
            lat = random.uniform(-6.30, -5.85)
            bbox = f"{lon:.4f},{lat:.4f},{lon + 0.045:.4f},{lat + 0.045:.4f}"
            self.client.get(
                f"{OGC_ITEMS}?bbox={bbox}&limit=100&f=json", name="/collections/desa/items?bbox"
            )
        elif SCENARIO == "ogc_item":
            code = random.choice(OgcUser.codes)
            self.client.get(f"{OGC_ITEMS}/{code}?f=json", name="/collections/desa/items/{id}")
        else:
            self.client.get(
                f"{OGC_ITEMS}?limit=1000&f=json", name="/collections/desa/items?limit=1000"
            )
