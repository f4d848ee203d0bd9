"""App manifests (servicekit.apps): what is installed, what it names, and what is derived from it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import services
from gateway.settings import DEFAULT_SERVICES
from servicekit import apps, deployfiles
from servicekit.apps import AppSpec, Process, installed_apps, load
from servicekit.migrate import alembic_config, service_names
from servicekit.reliable_events import handler_event_types, service_queues
from tests.support.platform import SERVICE_CLASSES

FIVE = ("accounts", "complaints", "gis", "notifications", "proposals")
SPECS = installed_apps()


def ids(spec: AppSpec) -> str:
    return spec.name


def test_the_five_apps_are_installed_once_each_sorted():
    names = apps.app_names()  # a new app (make new-app) joins them
    assert set(FIVE) <= set(names) and list(names) == sorted(set(names))
    assert [apps.app(name).name for name in FIVE] == list(FIVE)
    with pytest.raises(LookupError):
        apps.app("tidak-ada")


@pytest.mark.parametrize("spec", SPECS, ids=ids)
def test_every_reference_of_a_manifest_resolves(spec):
    service = spec.service_class
    assert inspect.isclass(service) and service.name == spec.name
    assert spec.title and spec.processes
    for module in spec.gateway:
        assert importlib.import_module(module).blueprint
    if spec.notifications:
        importlib.import_module(spec.notifications)
    if spec.map_layers:
        from servicekit.maplayers import MapLayer
        from services.gis.layers import LAYERS

        published = load(spec.map_layers)
        assert published and all(isinstance(layer, MapLayer) for layer in published)
        assert all(LAYERS[layer.name] is layer for layer in published)  # gis serves them
    if spec.demo:
        assert callable(load(spec.demo))
    assert set(spec.requires) <= set(FIVE) - {spec.name}
    if spec.database:
        assert alembic_config(spec.name, "sqlite://").get_main_option("script_location")
        from alembic.script import ScriptDirectory

        assert ScriptDirectory.from_config(alembic_config(spec.name, "sqlite://")).get_heads()


def test_everything_listed_per_app_comes_from_the_manifests():
    names = apps.app_names()  # the five, and any app made since with make new-app
    assert set(FIVE) <= set(names)
    assert service_names() == [s.name for s in SPECS if s.database]  # the databases migrated
    assert names == DEFAULT_SERVICES  # what /readyz checks
    assert set(SERVICE_CLASSES) == set(names)  # the test platform
    assert {line.split(":")[0] for line in apps.procfile().splitlines()} == {*names, "gateway"}


def service_classes_in_the_tree() -> dict[str, type]:
    """Every nameko service class defined in services/<app>/service.py, installed or not."""
    found = {}
    for info in pkgutil.iter_modules(services.__path__):
        try:
            module = importlib.import_module(f"services.{info.name}.service")
        except ModuleNotFoundError:
            continue
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and hasattr(cls, "name"):
                found[f"{cls.__module__}:{cls.__qualname__}"] = cls
    return found


def test_every_reliable_event_handler_belongs_to_an_installed_app():
    """The durable queues are declared before start for the installed apps only: a service
    whose event handlers are missing from them would lose the events published before it
    first starts (the lost-event pitfall)."""
    installed = {spec.service for spec in SPECS}
    for target, cls in service_classes_in_the_tree().items():
        if handler_event_types(cls):
            assert target in installed, f"{target} consumes events but is no installed app"


def test_consumes_is_read_from_the_reliable_handlers():
    by_name = {spec.name: spec for spec in SPECS}
    assert "complaints.report_created" in by_name["gis"].consumes
    assert "complaints.report_created" in by_name["notifications"].consumes
    assert by_name["accounts"].consumes == ()
    for spec in SPECS:
        queues = service_queues(spec.service_class)
        bound = {
            f"{b.exchange.name.removesuffix('.events')}.{b.routing_key}"
            for q in queues
            for b in q.bindings
        }
        assert bound == set(spec.consumes)


def test_demo_loaders_run_after_what_they_require_and_share_their_results(monkeypatch):
    calls = []

    def loader(name, result=None):
        def load_(context):
            calls.append((name, dict(context)))
            return result

        return load_

    fake = {
        "a": loader("a", {"citizen": 7}),
        "b": loader("b"),
    }
    specs = (
        AppSpec("b", "m:B", "B", database=False, demo="x:b", requires=("a",)),
        AppSpec("a", "m:A", "A", database=False, demo="x:a"),
    )
    monkeypatch.setattr(apps, "load", lambda dotted: fake[dotted.split(":")[1]])
    context = apps.load_demo(specs)
    assert calls == [("a", {}), ("b", {"a": {"citizen": 7}})]
    assert context == {"a": {"citizen": 7}, "b": {}}


def test_a_spec_defaults_to_one_nameko_process_and_needs_migrations_for_a_database():
    spec = AppSpec("contoh", "services.contoh.service:ContohService", "Contoh", database=False)
    assert spec.processes == (
        Process(
            "contoh",
            (
                "nameko",
                "run",
                "--config",
                "deploy/nameko.yaml",
                "services.contoh.service:ContohService",
            ),
        ),
    )
    with pytest.raises(ValueError):
        AppSpec("contoh", "services.contoh.service:ContohService", "Contoh")


def test_the_committed_deploy_files_are_what_the_manifests_generate():
    assert deployfiles.drift(specs=deployfiles.deployed()) == {}


def test_the_drift_check_names_a_stale_file_and_the_writer_fixes_it(tmp_path):
    # a sixth app (its service class borrowed: the bus definitions read its RPCs)
    spec = AppSpec("uji_baru", "services.gis.service:GisService", "Uji", migrations="x:y")
    specs = (*SPECS, spec)
    assert deployfiles.write(tmp_path, SPECS)  # a fresh tree: every file is written
    assert deployfiles.drift(tmp_path, SPECS) == {}
    stale = deployfiles.drift(tmp_path, specs)  # an app added, the files not regenerated
    assert {
        "deploy/Procfile",
        "deploy/docker/compose.yaml",
        "deploy/docker/postgres-init.sql",
        "deploy/k8s/base/kustomization.yaml",
        "deploy/k8s/base/uji_baru.yaml",
        "deploy/systemd/gawe.env.example",
        "deploy/rabbitmq/definitions.json",
    } <= set(stale)
    assert "+CREATE DATABASE gawe_uji_baru;" in stale["deploy/docker/postgres-init.sql"]
    deployfiles.write(tmp_path, specs)
    assert deployfiles.drift(tmp_path, specs) == {}
    assert "gawe-uji_baru" in (tmp_path / "deploy/k8s/base/uji_baru.yaml").read_text()


def test_the_check_command_fails_on_drift(monkeypatch, capsys):
    monkeypatch.setattr(deployfiles, "drift", lambda **_: {"deploy/Procfile": "--- diff\n"})
    assert deployfiles.main(["--check"]) == 1
    captured = capsys.readouterr()
    assert "deploy/Procfile" in captured.err and "make deploy-files" in captured.err
    monkeypatch.setattr(deployfiles, "drift", lambda **_: {})
    assert deployfiles.main(["--check"]) == 0


def test_an_app_not_yet_deployed_waits_but_a_deployed_one_may_not_drift(tmp_path):
    """`make new-app` then `make lint`: the new app is only named as not yet deployed; an app
    the deploy files already run, or one they run that is gone, is drift."""
    spec = AppSpec("uji_baru", "services.gis.service:GisService", "Uji", migrations="x:y")
    deployfiles.write(tmp_path, SPECS)
    assert deployfiles.pending(tmp_path, (*SPECS, spec)) == ("uji_baru",)
    assert deployfiles.drift(tmp_path, SPECS) == {}  # what --check compares
    deployfiles.write(tmp_path, (*SPECS, spec))
    assert deployfiles.pending(tmp_path, (*SPECS, spec)) == ()
    assert deployfiles.drift(tmp_path, SPECS)  # uji_baru gone from the manifests: stale files


def test_a_new_app_gets_its_own_bus_user_that_may_publish_only_replies():
    from servicekit.busdefinitions import definitions

    spec = AppSpec("gis", "services.gis.service:GisService", "Peta", database=False)
    found = definitions((spec,))
    assert [u["name"] for u in found["users"]] == ["gawe-gateway", "gawe-ops", "gawe-gis"]
    writes = {
        t["user"]: t["write"] for t in found["topic_permissions"] if t["exchange"] == "nameko-rpc"
    }
    assert re.fullmatch(writes["gawe-gis"], "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert not re.fullmatch(writes["gawe-gis"], "gis.locate")
    assert not re.fullmatch(writes["gawe-gateway"], "gis.upsert_points")  # internal
    assert re.fullmatch(writes["gawe-gateway"], "gis.locate")


def test_the_blob_sweeper_looks_after_the_apps_whose_manifests_store_uploads():
    from gateway.blobs import upload_services

    assert set(upload_services()) == {s.name for s in installed_apps() if s.uploads}
    assert {"complaints", "proposals"} <= set(upload_services())
    assert "accounts" not in upload_services()


def test_installed_roles_and_agencies_come_from_every_manifest_once():
    from servicekit.roles import PLATFORM_ROLES, installed_agencies, installed_roles, staff_roles

    roles = [r.name for r in installed_roles()]
    assert len(roles) == len(set(roles)) and roles[: len(PLATFORM_ROLES)] == [
        r.name for r in PLATFORM_ROLES
    ]
    assert "citizen" not in staff_roles() and "admin" in staff_roles()
    codes = [a.code for a in installed_agencies()]
    assert len(codes) == len(set(codes)) and {"DPUPR", "DINSOS", "KESRA", "BPKAD"} <= set(codes)


def test_demo_logins_come_from_every_manifest_each_once_with_a_known_role_and_agency():
    from servicekit.roles import installed_agencies, installed_demo_accounts, installed_roles

    accounts = installed_demo_accounts()
    emails = [a.email for a in accounts]
    assert len(emails) == len(set(emails))
    roles, agencies = {r.name for r in installed_roles()}, {a.code for a in installed_agencies()}
    assert all(a.role in roles and (a.agency is None or a.agency in agencies) for a in accounts)
    by_email = {a.email: (a.role, a.agency) for a in accounts}
    # the logins the issues spell out (README's quickstart lists them)
    assert by_email["petugas.disnaker@gawe.example"] == ("officer", "DISNAKER")
    assert by_email["tu.dpupr@gawe.example"] == ("clerk", "DPUPR")
    assert by_email["kepala.dpupr@gawe.example"] == ("head", "DPUPR")
    assert by_email["warga@gawe.example"] == ("citizen", None)
