"""deploy/prometheus/ as Prometheus reads it: `promtool check config` and `check rules`.

Debian's promtool is built without Kubernetes service discovery, so prometheus-k8s.yml is
checked with its `kubernetes_sd_configs` swapped for an empty static list (everything else,
relabelling regexes and the gateway's bearer token file included, is checked as written; the
token file is made in the temporary copy). make test-setup installs promtool
(deploy/scripts/ensure-promtool.sh).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"


def promtool(*args: str, cwd: Path) -> str:
    done = subprocess.run(["promtool", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_alert_rules_are_valid():
    out = promtool("check", "rules", "alerts.yml", cwd=PROMETHEUS)
    assert "SUCCESS" in out


def test_the_one_machine_scrape_config_is_valid_and_scrapes_every_service(tmp_path):
    for name in ("prometheus.yml", "alerts.yml"):
        shutil.copy(PROMETHEUS / name, tmp_path / name)
    out = promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert "SUCCESS: 1 rule files found" in out
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert {"gawe-gateway", "gawe-services", "rabbitmq"} <= set(jobs)


def test_the_kubernetes_scrape_config_is_valid(tmp_path):
    config = yaml.safe_load((PROMETHEUS / "prometheus-k8s.yml").read_text())
    for job in config["scrape_configs"]:
        if job.pop("kubernetes_sd_configs", None) is not None:
            job["static_configs"] = [{"targets": []}]
        token = job.get("authorization", {}).get("credentials_file")
        if token:
            job["authorization"]["credentials_file"] = str(tmp_path / "token")
            (tmp_path / "token").write_text("a-token\n")
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    shutil.copy(PROMETHEUS / "alerts.yml", tmp_path / "alerts.yml")
    out = promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert "SUCCESS: 1 rule files found" in out
