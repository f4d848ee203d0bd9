"""Sisumaker's `make bench` rows (AppSpec.bench): letters registered and letters disposed per
second, over HTTP against the running platform, by the demo DPUPR clerk and head in threads for
about five seconds each (`make bench` loads the demo first)."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests

from servicekit.config import env_str, var_dir

SECONDS = 5.0
THREADS = 4
CLERK, HEAD, OFFICER = (
    "tu.dpupr@gawe.example",
    "kepala.dpupr@gawe.example",
    "petugas.dpupr@gawe.example",
)


def _password() -> str:
    """The demo accounts' password, as the accounts demo chose it (DEMO_PASSWORD, or the one it
    kept under the var directory)."""
    return env_str("DEMO_PASSWORD") or (var_dir() / "demo_password").read_text().strip()


def _token(url: str, email: str) -> dict:
    login = requests.post(
        f"{url}/api/v1/auth/login", json={"email": email, "password": _password()}, timeout=30
    )
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _measure(work) -> tuple[float, int, int]:
    """Run `work(session)` in THREADS threads for SECONDS: done per second, done, failed (work
    answers True when done, False when refused, None when there was nothing to do)."""
    done, failed = [0] * THREADS, [0] * THREADS
    stop = threading.Event()

    def loop(index: int) -> None:
        session = requests.Session()
        while not stop.is_set():
            result = work(session)
            if result:
                done[index] += 1
            elif result is False:
                failed[index] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        for index in range(THREADS):
            pool.submit(loop, index)
        time.sleep(SECONDS)  # the measuring window
        stop.set()
    elapsed = time.perf_counter() - started
    return sum(done) / elapsed, sum(done), sum(failed)


def rows(url: str, baseline: float) -> list[dict]:
    url = url.rstrip("/")
    clerk, head = _token(url, CLERK), _token(url, HEAD)
    officer = requests.get(f"{url}/api/v1/letters/recipients", headers=head, timeout=30).json()
    [officer_id] = [p["user_id"] for p in officer["items"] if "officer" in p["roles"]][:1]
    today = date.today()
    sequence, registered = itertools.count(), []
    lock = threading.Lock()

    def register(session) -> bool:
        body = {
            "sender": "Bench Kabupaten Serang",
            "letter_number": f"BENCH/{next(sequence)}",
            "letter_date": (today - timedelta(days=1)).isoformat(),
            "received_date": (today - timedelta(days=1)).isoformat(),
            "subject": "Surat uji beban",
            "classification": "biasa",
        }
        answer = session.post(f"{url}/api/v1/letters", json=body, headers=clerk, timeout=30)
        if answer.status_code != 201:
            return False
        with lock:
            registered.append(answer.json()["id"])
        return True

    def dispose(session) -> bool | None:
        with lock:
            if not registered:
                return None  # every registered letter is disposed: nothing left to measure
            letter = registered.pop()
        body = {
            "to_user_ids": [officer_id],
            "instruction": "untuk diketahui",
            "due_date": (today + timedelta(days=7)).isoformat(),
        }
        answer = session.post(
            f"{url}/api/v1/letters/{letter}/dispositions", json=body, headers=head, timeout=30
        )
        return answer.status_code == 201

    registering = _measure(register)
    disposing = _measure(dispose)
    return [
        {
            "name": "Sisumaker: surat dicatat (POST /api/v1/letters)",
            "per_second": registering[0],
            "failed": registering[2],
        },
        {
            "name": "Sisumaker: surat didisposisikan (POST …/dispositions)",
            "per_second": disposing[0],
            "failed": disposing[2],
        },
    ]
