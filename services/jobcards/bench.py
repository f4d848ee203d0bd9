"""Kartu Kuning's `make bench` rows (AppSpec.bench): applications filed per second, over HTTP
against the running platform, by a few citizens in threads for about ten seconds."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

SECONDS = 10.0
THREADS = 4
PASSWORD = "bench-Kartu-Kuning-2026"


def _citizen(url: str) -> str:
    email = f"bench.kk.{uuid.uuid4().hex[:10]}@example.id"
    body = {"name": "Pencari Kerja Bench", "email": email, "password": PASSWORD}
    requests.post(f"{url}/api/v1/auth/register", json=body, timeout=30).raise_for_status()
    login = requests.post(
        f"{url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    login.raise_for_status()
    return login.json()["access_token"]


def _body(sequence: int) -> dict:
    return {
        "nik": f"360405120449{sequence % 9999 + 1:04d}",  # born 12 April 1949, a man
        "name": "Pencari Kerja Bench",
        "birth_place": "Serang",
        "birth_date": "1949-04-12",
        "gender": "L",
        "address": "Jl. Raya Kramatwatu No. 1",
        "desa_code": "36.04.05.2001",
        "education_level": "sma",
        "graduation_year": 1967,
        "work_wanted": "Operator produksi",
    }


def rows(url: str, baseline: float) -> list[dict]:
    url = url.rstrip("/")
    tokens = [_citizen(url) for _ in range(THREADS)]
    counter, filed, failed = itertools.count(), [0] * THREADS, [0] * THREADS
    stop = threading.Event()

    def work(index: int) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {tokens[index]}"}
        while not stop.is_set():
            response = session.post(
                f"{url}/api/v1/jobcards", json=_body(next(counter)), headers=headers, timeout=30
            )
            if response.status_code == 201:
                filed[index] += 1
            else:
                failed[index] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        for index in range(THREADS):
            pool.submit(work, index)
        time.sleep(SECONDS)  # the measuring window
        stop.set()
    elapsed = time.perf_counter() - started
    return [
        {
            "name": "Kartu Kuning: permohonan dibuat (POST /api/v1/jobcards)",
            "per_second": sum(filed) / elapsed,
            "failed": sum(failed),
        }
    ]
