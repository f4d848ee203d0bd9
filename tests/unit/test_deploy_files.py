"""Deploy files cannot be run here (no Docker engine, no cluster): check what can be checked.

Most are generated from the apps' manifests (servicekit.deployfiles; tests/unit/test_apps.py
checks they are up to date); these tests read them as the tools that run them would."""

import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

from servicekit import deployfiles
from servicekit.migrate import service_names

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NAMEKO_TARGET = re.compile(r"services\.(\w+)\.service:(\w+)")


def deployed_names() -> tuple[str, ...]:
    """The apps the committed deploy files run (an app just made by make new-app waits)."""
    return tuple(spec.name for spec in deployfiles.deployed())


def service_class(target: str):
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def test_procfile_starts_every_service_and_the_gateway():
    entries = dict(
        line.split(":", 1)
        for line in (DEPLOY / "Procfile").read_text().splitlines()
        if line.strip()
    )
    assert set(entries) == set(deployed_names()) | {"gateway"}
    for name, command in entries.items():
        assert " exec " in f" {command} "  # so SIGTERM reaches the process itself
        for service, cls in NAMEKO_TARGET.findall(command):
            assert service == name
            assert service_class(f"services.{service}.service:{cls}").name == name


def test_compose_runs_each_service_once_with_its_own_database():
    compose = yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    for name in deployed_names():
        command = " ".join(services[name]["command"])
        assert f"services.{name}.service:" in command
        service_class(NAMEKO_TARGET.search(command).group(0))
    with_database = [n for n in service_names() if n in deployed_names()]
    for name in with_database:
        assert services[name]["environment"][f"{name.upper()}_DATABASE_URL"].endswith(
            f"gawe_{name}"
        )
    init = (DEPLOY / "docker" / "postgres-init.sql").read_text()
    assert {f"CREATE DATABASE gawe_{n};" for n in with_database} <= set(init.splitlines())
    assert services["gateway"]["command"][0] == "gunicorn"


def test_kustomize_base_lists_valid_manifests_for_every_service():
    base = DEPLOY / "k8s" / "base"
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
    deployments = {}
    for resource in kustomization["resources"]:
        for doc in yaml.safe_load_all((base / resource).read_text()):
            assert {"apiVersion", "kind", "metadata"} <= set(doc)
            if doc["kind"] == "Deployment":
                deployments[doc["metadata"]["name"]] = doc
    assert set(deployments) == {f"gawe-{n}" for n in deployed_names()} | {"gawe-gateway"}
    for name in deployed_names():
        container = deployments[f"gawe-{name}"]["spec"]["template"]["spec"]["containers"][0]
        service_class(NAMEKO_TARGET.search(" ".join(container["command"])).group(0))
    gateway = deployments["gawe-gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("path", ["systemd/gawe-gateway.service", "systemd/gawe-service@.service"])
def test_systemd_units_have_the_required_sections(path):
    text = (DEPLOY / path).read_text()
    assert "[Unit]" in text and "[Service]" in text and "[Install]" in text
    assert "ExecStart=" in text


def test_dockerfile_copies_what_exists():
    for line in (DEPLOY / "docker" / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def test_rabbitmq_definitions_are_valid_json_with_a_dead_letter_policy():
    definitions = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text())
    assert any(p["definition"].get("dead-letter-exchange") for p in definitions["policies"])


def test_nameko_config_reads_the_broker_from_amqp_uri():
    assert "${AMQP_URI:" in (DEPLOY / "nameko.yaml").read_text()
