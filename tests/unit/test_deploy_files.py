"""Deploy files cannot be run here (no Docker engine, no cluster): check what can be checked.

Most are generated from the apps' manifests (servicekit.deployfiles; tests/unit/test_apps.py
checks they are up to date); these tests read them as the tools that run them would."""

import ast
import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

from servicekit import deployfiles
from servicekit.apps import installed_apps
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


# --- Checked, not only parsed (issue 14): schemas, environment, disruption, autoscaling ---

K8S_BASE = DEPLOY / "k8s" / "base"
SOURCES = ("servicekit", "services", "gateway")
READERS = {"env_str", "env_int", "env_float", "env_bool", "getenv", "configured_timer"}


def k8s_documents() -> list[tuple[str, dict]]:
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text())
    return [
        (resource, doc)
        for resource in kustomization["resources"]
        for doc in yaml.safe_load_all((K8S_BASE / resource).read_text())
    ]


def test_every_kubernetes_manifest_is_valid_for_the_stated_release():
    """kubernetes-validate's bundled schemas (offline), strict: an unknown field fails too."""
    import kubernetes_validate

    documents = k8s_documents()
    kinds = {doc["kind"] for _, doc in documents}
    assert {"Deployment", "Job", "PodDisruptionBudget", "HorizontalPodAutoscaler"} <= kinds
    for resource, doc in documents:
        try:
            kubernetes_validate.validate(doc, deployfiles.KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            raise AssertionError(f"{resource} {doc['kind']}: {error.message}") from None


def test_a_kubernetes_manifest_with_a_wrong_field_is_refused():
    """The validation above has teeth: the same schemas refuse a misspelt or mistyped field."""
    import kubernetes_validate

    deployment = next(doc for _, doc in k8s_documents() if doc["kind"] == "Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, deployfiles.KUBERNETES_VERSION, strict=True)


def test_compose_file_is_valid_for_the_compose_specification():
    """`docker compose config` cannot run here (the docker CLI has no compose plugin, Debian 12
    ships only compose v1): the file is checked against the Compose Specification's own JSON
    schema, vendored from compose-spec/compose-spec (Apache-2.0, deploy/docker/), after the
    interpolation compose does (${VAR:?...} set, ${VAR:-default} taken)."""
    import jsonschema

    schema = json.loads((DEPLOY / "docker" / "compose-spec.schema.json").read_text())
    text = (DEPLOY / "docker" / "compose.yaml").read_text()
    interpolated = re.sub(
        r"\$\{(\w+)(:[?-])([^}]*)\}",
        lambda m: m.group(3) if m.group(2) == ":-" else "set-in-the-test",
        text,
    )
    compose = yaml.safe_load(interpolated)
    jsonschema.validate(compose, schema)  # raises, naming the path, on an invalid file
    broken = json.loads(json.dumps(compose)) | {"services": {"x": {"restart": ["no"]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if re.fullmatch(r"[A-Z][A-Z0-9_]+", node.value) else None
    return None


def variables_read() -> dict[str, set[str]]:
    """Each environment variable the code reads, with the processes that read it: a file under
    services/<app>/ is that app's process, gateway/ the gateway's, servicekit/ every process's.
    Found by AST: env_str/env_int/env_float/env_bool, setting(config, NAME), os.environ.get,
    os.getenv, configured_timer(NAME), the gateway's rate limits, deploy/nameko.yaml's
    ${VAR:...} and deploy/gunicorn.conf.py; <APP>_DATABASE_URL for each app with a database."""
    processes = {p.name for s in deployfiles.deployed() for p in s.processes} | {"gateway"}
    services = processes - {"gateway"}
    found: dict[str, set[str]] = {}

    def add(name: str, readers: set[str]) -> None:
        found.setdefault(name, set()).update(readers)

    for top in SOURCES:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or path.name in {"bench.py", "demo.py"}:
                continue  # `make bench` / `make demo` tools, not a deployed process's reads
            readers = (
                processes
                if top == "servicekit"
                else {"gateway"}
                if top == "gateway"
                else {parts[1]} & processes
            )
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                args = node.args
                if name == "setting" and len(args) >= 2:
                    variable = _literal(args[1])
                elif (
                    name in READERS
                    and args
                    or (
                        name == "get"
                        and isinstance(func, ast.Attribute)
                        and isinstance(func.value, ast.Attribute)
                        and func.value.attr == "environ"
                        and args
                    )
                ):
                    variable = _literal(args[0])
                else:
                    continue
                if variable:
                    add(variable, readers)
    from gateway.limits import LIMITS

    for variable, _ in LIMITS.values():
        add(variable, {"gateway"})
    nameko = "\n".join(
        line
        for line in (DEPLOY / "nameko.yaml").read_text().splitlines()
        if not line.startswith("#")
    )
    for variable in re.findall(r"\$\{(\w+):", nameko):
        add(variable, services)
    for variable in re.findall(
        r"environ\.get\(\"(\w+)\"", (DEPLOY / "gunicorn.conf.py").read_text()
    ):
        add(variable, {"gateway"})
    for spec in deployfiles.deployed():
        if spec.database:
            add(f"{spec.name.upper()}_DATABASE_URL", {p.name for p in spec.processes})
    return found


def documented_variables() -> set[str]:
    """The names in README's Configuration table; `A_B_C` / `_D` there also names A_B_D
    (and A_D: a suffix may stand for the last one or more words)."""
    text = (ROOT / "README.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        tokens = re.findall(r"`(_?[A-Z][A-Z0-9_]*)`", cell)
        first = tokens[0] if tokens else ""
        for token in tokens:
            if token.startswith("_"):
                words = first.split("_")
                suffix = token[1:].split("_")
                names.update("_".join(words[:i] + suffix) for i in range(1, len(words)))
            else:
                names.add(token)
    return names


def required(process: str, reads: dict[str, set[str]]) -> set[str]:
    wanted = set(deployfiles.REQUIRED_ENV["*"]) | set(deployfiles.REQUIRED_ENV.get(process, ()))
    wanted |= {
        v for v, readers in reads.items() if v.endswith("_DATABASE_URL") and process in readers
    }
    return wanted


def compose_environment() -> dict[str, dict]:
    compose = yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())
    return {name: service.get("environment", {}) for name, service in compose["services"].items()}


def k8s_environment() -> dict[str, dict[str, dict]]:
    """Each Deployment's process: its variables, each as {"value"}, {"configMap"} or
    {"secret": key} (the gawe-config literals reach every container through envFrom)."""
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text())
    config = dict(
        literal.split("=", 1)
        for generator in kustomization["configMapGenerator"]
        for literal in generator["literals"]
    )
    found = {}
    for _, doc in k8s_documents():
        if doc["kind"] not in {"Deployment", "Job"}:
            continue
        container = doc["spec"]["template"]["spec"]["containers"][0]
        env: dict[str, dict] = {}
        for source in container.get("envFrom", []):
            assert source.get("configMapRef", {}).get("name") == "gawe-config", source
            env |= {name: {"configMap": value} for name, value in config.items()}
        for item in container.get("env", []):
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            env[item["name"]] = {"secret": ref["key"]} if ref else {"value": item.get("value")}
        found[container["name"]] = env
    return found


def test_every_variable_the_code_reads_is_documented_with_its_default():
    reads = variables_read()
    assert {"AMQP_URI", "GATEWAY_SECRET_KEY", "SMTP_PASSWORD", "COMPLAINTS_DATABASE_URL"} <= set(
        reads
    )
    undocumented = sorted(set(reads) - documented_variables() - {"GAWE_SERVICE_NAME"})
    assert not undocumented, (
        f"read by the code, missing from README's Configuration: {undocumented}"
    )


@pytest.mark.parametrize("where", ["compose", "kubernetes"])
def test_each_deployment_sets_what_its_process_must_have(where):
    """The rule: each REQUIRED_ENV variable of a process (and its own <APP>_DATABASE_URL) is set
    in that process's deployment; the others are documented defaults (test above). And no
    deployment sets a variable no code reads (a typo would pass silently)."""
    reads = variables_read()
    deployments = compose_environment() if where == "compose" else k8s_environment()
    processes = {p.name for s in deployfiles.deployed() for p in s.processes} | {"gateway"}
    for process in processes:
        env = deployments[process]
        missing = required(process, reads) - set(env)
        assert not missing, f"{where} {process}: {sorted(missing)} not set"
        unknown = set(env) - set(reads) - {"GAWE_SERVICE_NAME"}
        assert not unknown, f"{where} {process}: sets {sorted(unknown)}, which no code reads"
    # the migrate job/service needs every database and the broker
    databases = {v for v in reads if v.endswith("_DATABASE_URL")}
    assert databases | {"AMQP_URI"} <= set(deployments["migrate"])


def test_kubernetes_secrets_come_only_from_the_secret():
    reads = variables_read()
    secret = (
        set(deployfiles.SECRET_ENV)
        | {v for v in reads if v.endswith(deployfiles.SECRET_SUFFIX)}
        | {name for spec in installed_apps() for name in spec.secrets}
    )
    assert "TRANSPARENCY_SIGNING_KEY" in secret
    for process, env in k8s_environment().items():
        for name, source in env.items():
            if name in secret:
                assert "secret" in source, f"{process}: {name} is not a secretKeyRef"
        for name in set(env) - secret:
            assert "secret" not in env[name] or name in secret


def test_every_deployment_has_a_disruption_budget_and_measured_resources():
    documents = [doc for _, doc in k8s_documents()]
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    budgets = {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]: d
        for d in documents
        if d["kind"] == "PodDisruptionBudget"
    }
    assert set(budgets) == set(deployments)
    for name, deployment in deployments.items():
        assert budgets[name]["spec"]["maxUnavailable"] == 1  # a drain never waits forever
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        resources = container["resources"]
        request, limit = (
            int(resources[k]["memory"].removesuffix("Mi")) for k in ("requests", "limits")
        )
        assert 64 <= request < limit, name
        process = name.removeprefix("gawe-")
        if process in deployfiles.MEMORY_MIB:
            assert (request, limit) == deployfiles.MEMORY_MIB[process]


def test_gateway_and_complaints_scale_on_cpu():
    autoscalers = {
        d["spec"]["scaleTargetRef"]["name"]: d
        for _, d in k8s_documents()
        if d["kind"] == "HorizontalPodAutoscaler"
    }
    assert {"gawe-gateway", "gawe-complaints"} <= set(autoscalers)
    for autoscaler in autoscalers.values():
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        assert 2 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]
