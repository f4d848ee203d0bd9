"""`make test`'s runner of several pytest processes (tests/support/shards.py): which files make a
unit, how units are chunked, and how a junit case finds its unit."""

from __future__ import annotations

from pathlib import Path

from tests.support import shards


def test_every_test_file_is_a_unit_but_the_packages_that_share_a_platform():
    names = shards.units()
    assert "tests/browser" in names and "tests/e2e" in names
    assert not [name for name in names if name.startswith(("tests/browser/", "tests/e2e/"))]
    assert not [name for name in names if name.startswith("tests/support/")]
    assert "tests/unit/test_shards.py" in names
    files = {
        path.relative_to(shards.ROOT).as_posix()
        for path in shards.TESTS.rglob("test_*.py")
        if "support" not in path.parts
    }
    covered = {f for f in files if f in names or f.startswith(("tests/browser/", "tests/e2e/"))}
    assert covered == files  # no test file is left out of the run


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


def test_a_junit_case_belongs_to_its_file_or_its_package():
    files = ["tests/browser", "tests/unit/test_apps.py", "tests/gis/http/test_ogc.py"]
    assert shards.unit_of("tests.browser.test_maps", files) == "tests/browser"
    assert shards.unit_of("tests.unit.test_apps", files) == "tests/unit/test_apps.py"
    assert shards.unit_of("tests.gis.http.test_ogc.TestPaging", files) == files[2]
    assert shards.unit_of("tests.gis.http.test_ogc_more", files) == "?"


def test_a_chunks_counts_and_times_come_from_its_junit_file(tmp_path: Path):
    junit = tmp_path / "chunk.xml"
    junit.write_text(
        '<testsuites><testsuite tests="3" failures="1" errors="0" skipped="1">'
        '<testcase classname="tests.unit.test_apps" name="a" time="1.5"/>'
        '<testcase classname="tests.unit.test_apps" name="b[postgres]" time="0.5"/>'
        '<testcase classname="tests.browser.test_maps" name="c[x-sqlite]" time="7"/>'
        "</testsuite></testsuites>"
    )
    result = shards.Result(1, ["tests/unit/test_apps.py", "tests/browser"])
    shards.read_junit(junit, result)
    assert result.counts == {"tests": 3, "failures": 1, "errors": 0, "skipped": 1}
    assert result.times == {"tests/unit/test_apps.py": 2.0, "tests/browser": 7.0}
    assert result.backends == {"no database": 1, "postgres": 1, "sqlite": 1}  # the id's last part
    empty = shards.Result(2, ["tests/unit/test_apps.py"])
    shards.read_junit(tmp_path / "missing.xml", empty)  # pytest died before writing it
    assert empty.counts["tests"] == 0 and empty.times == {}
