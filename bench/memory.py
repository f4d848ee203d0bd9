"""The platform's memory: the resident set (RSS) of every process it runs, per process and in all.

`snapshot(root_pid)` walks the process tree under the supervisor that started the platform
(supervisord, as `make run`) and names each process by the GAWE_SERVICE_NAME it runs with; a
gunicorn master and its workers are told apart. `make bench` prints it idle (after start and the demo
data) and after the load run, as a share of the goal (GOAL_MB for the whole platform, idle).
The figures are what the Kubernetes requests and limits in servicekit/deployfiles.py come from.
"""

from __future__ import annotations

import os

import psutil

GOAL_MB = 600
MB = 1024 * 1024


def _name(process: psutil.Process) -> str | None:
    try:
        service = process.environ().get("GAWE_SERVICE_NAME")
        cmdline = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None
    if not service or not cmdline:
        return None
    if any("gunicorn" in part for part in cmdline[:2]):
        parent = process.parent()
        is_worker = parent is not None and "gunicorn" in " ".join(parent.cmdline()[:2])
        return f"{service} ({'worker' if is_worker else 'master'})"
    return service


def snapshot(root_pid: int, extra_pids: tuple[int, ...] = ()) -> dict[str, float]:
    """RSS in MB of every named platform process under root_pid (and extra_pids), by name;
    processes of the same name (replicas, gunicorn workers) are numbered #1, #2..."""
    found: list[tuple[str, float]] = []
    roots = [psutil.Process(root_pid)] + [psutil.Process(p) for p in extra_pids]
    seen: set[int] = set()
    for root in roots:
        for process in [root, *root.children(recursive=True)]:
            if process.pid in seen:
                continue
            seen.add(process.pid)
            name = _name(process)
            if name is None:
                continue
            try:
                found.append((name, process.memory_info().rss / MB))
            except psutil.NoSuchProcess:
                continue
    counts: dict[str, int] = {}
    for name, _ in found:
        counts[name] = counts.get(name, 0) + 1
    result: dict[str, float] = {}
    seen_names: dict[str, int] = {}
    for name, rss in sorted(found):
        if counts[name] > 1:
            seen_names[name] = seen_names.get(name, 0) + 1
            name = f"{name} #{seen_names[name]}"
        result[name] = rss
    return result


def print_table(idle: dict[str, float], loaded: dict[str, float] | None = None) -> None:
    """Per process and in all: idle, after load, and the total as a share of GOAL_MB."""
    loaded = loaded or {}
    print(f"\n{'process':<28}{'idle MB':>10}{'loaded MB':>11}")
    for name in sorted(set(idle) | set(loaded)):
        after = f"{loaded[name]:>11.1f}" if name in loaded else f"{'-':>11}"
        print(f"{name:<28}{idle.get(name, 0.0):>10.1f}{after}")
    idle_total, loaded_total = sum(idle.values()), sum(loaded.values())
    print(
        f"{'total (' + str(len(idle)) + ' processes)':<28}{idle_total:>10.1f}"
        + (f"{loaded_total:>11.1f}" if loaded else "")
    )
    print(
        f"platform RSS idle {idle_total:.0f} MB = {idle_total / GOAL_MB:.0%} of the {GOAL_MB} MB goal"
        + (f"; after load {loaded_total:.0f} MB = {loaded_total / GOAL_MB:.0%}" if loaded else "")
    )


if __name__ == "__main__":  # python -m bench.memory <pid of supervisord>
    import sys

    print_table(snapshot(int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid()))
