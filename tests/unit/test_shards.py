"""`make test`'s runner of several pytest processes (tests/support/shards.py): which files make a
unit, how units are chunked, and how a junit case finds its unit."""

from __future__ import annotations

from pathlib import Path

from tests.support import shards


def test_every_test_file_is_in_one_unit_and_the_fault_suite_runs_in_a_row():
    found = shards.units(fault_runs=3)
    assert "tests/browser" in found and "tests/e2e" in found
    assert not [name for name in found if name.startswith(("tests/browser/", "tests/e2e/"))]
    assert not [name for name in found if name.startswith("tests/support/")]
    assert found["tests/unit/test_shards.py"] == ["tests/unit/test_shards.py"]
    faults = shards.fault_files()
    assert "tests/platform/test_faults_bus.py" in faults
    assert "tests/e2e/test_supervision.py" in faults  # kill -9 and SIGTERM
    assert found[shards.FAULTS] == faults * 3  # three passes, one after the other
    assert "tests/e2e/test_supervision.py" not in found["tests/e2e"]
    files = {
        path.relative_to(shards.ROOT).as_posix()
        for path in shards.TESTS.rglob("test_*.py")
        if "support" not in path.parts
    }
    listed = [file for name, unit in found.items() if name != shards.FAULTS for file in unit]
    assert sorted(listed + faults) == sorted(files)  # each file once (the faults thrice)
    assert shards.units(fault_runs=1)[shards.FAULTS] == faults


def test_a_unit_without_a_recorded_time_counts_as_the_median():
    weighted = shards.weights(["a", "b", "c", "new"], {"a": 1.0, "b": 5.0, "c": 100.0})
    assert weighted == {"a": 1.0, "b": 5.0, "c": 100.0, "new": 5.0}
    assert shards.weights(["x"], {}) == {"x": 10.0}


def test_chunks_hold_every_unit_once_longest_first_and_end_short():
    weighted = {"big": 300.0, "mid": 120.0} | {f"small{i}": 10.0 for i in range(30)}
    plan = shards.chunks(weighted, jobs=2, per_slot=2)  # a chunk of about 180 s
    assert sorted(name for chunk in plan for name in chunk) == sorted(weighted)
    assert plan[0] == ["big"]  # longer than a chunk: alone, and handed out first
    assert plan[1][0] == "mid"
    loads = [sum(weighted[name] for name in chunk) for chunk in plan]
    assert loads[-1] <= 180.0
    assert all(load >= 180.0 for load in loads[:-1])


def test_a_junit_case_belongs_to_the_unit_of_its_file():
    units = {
        "tests/browser": ["tests/browser/test_maps.py"],
        "tests/unit/test_apps.py": ["tests/unit/test_apps.py"],
        "faults": ["tests/platform/test_faults_bus.py"] * 2,
    }
    assert shards.unit_of("tests.browser.test_maps", units) == "tests/browser"
    assert shards.unit_of("tests.unit.test_apps", units) == "tests/unit/test_apps.py"
    assert shards.unit_of("tests.platform.test_faults_bus.TestCut", units) == "faults"
    assert shards.unit_of("tests.unit.test_apps_more", units) == "?"


def test_a_chunks_counts_and_times_come_from_its_junit_file(tmp_path: Path):
    junit = tmp_path / "chunk.xml"
    junit.write_text(
        '<testsuites><testsuite tests="3" failures="1" errors="0" skipped="1">'
        '<testcase classname="tests.unit.test_apps" name="a" time="1.5"/>'
        '<testcase classname="tests.unit.test_apps" name="b[postgres]" time="0.5"/>'
        '<testcase classname="tests.browser.test_maps" name="c[x-sqlite]" time="7"/>'
        "</testsuite></testsuites>"
    )
    units = {"tests/unit/test_apps.py": ["tests/unit/test_apps.py"]}
    result = shards.Result(1, units | {"tests/browser": ["tests/browser/test_maps.py"]})
    shards.read_junit(junit, result)
    assert result.counts == {"tests": 3, "failures": 1, "errors": 0, "skipped": 1}
    assert result.times == {"tests/unit/test_apps.py": 2.0, "tests/browser": 7.0}
    assert result.backends == {"no database": 1, "postgres": 1, "sqlite": 1}  # the id's last part
    empty = shards.Result(2, units)
    shards.read_junit(tmp_path / "missing.xml", empty)  # pytest died before writing it
    assert empty.counts["tests"] == 0 and empty.times == {}
