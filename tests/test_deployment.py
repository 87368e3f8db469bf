"""The deployment files agree with the specification and with the settings.

There is no Docker engine in CI, so docker-compose.yml is checked against the
official Compose Specification schema: tests/data/compose-spec.json is
schema/compose-spec.json of github.com/compose-spec/compose-spec (commit
00655e2222608fa6eaecdf12ac5195889ca2244a), unchanged. No database is needed.
"""

import copy
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCHEMA_FILE = ROOT / "tests" / "data" / "compose-spec.json"
SETTINGS_FILE = ROOT / "zorg" / "settings.py"

# Every service that runs Zorg's code needs these to reach the same database,
# broker and key; zorg/settings.py must read each of them.
REQUIRED_APP_VARIABLES = {
    "ZORG_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ZORG_MEDIA_ROOT",
    "ZORG_BASE_URL",
}

CDN_HOSTS = (
    "cdn.",
    "cdnjs.",
    "jsdelivr.net",
    "unpkg.com",
    "bootstrapcdn.com",
    "googleapis.com",
    "gstatic.com",
    "code.jquery.com",
    "cloudflare.com",
    "aspnetcdn.com",
    "fontawesome.com",
    "skypack.dev",
    "esm.sh",
)
# An asset the browser fetches by itself: only ever from Zorg's own origin.
EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|srcset|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
CSS_EXTERNAL_URL = re.compile(r"(?:url\(|@import)\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)]*")
# ${VAR}, ${VAR:-default}, ${VAR:?error}: Compose fills these in at `up` time.
INTERPOLATION = re.compile(r"\$\{[^}]*\}")


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@cache
def compose_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


def validation_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(compose_schema())
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def zorg_services() -> dict[str, dict]:
    """Services built from this repository (migrate, web, worker, beat)."""
    return {
        name: service
        for name, service in compose()["services"].items()
        if "build" in service or service.get("image", "").split(":")[0] == "zorg"
    }


def app_services() -> dict[str, dict]:
    """The services that run the app (web, worker, beat): all of Zorg's but
    the one-off `migrate`, which runs as the owner of the tables."""
    return {name: service for name, service in zorg_services().items() if name != "migrate"}


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def parsed_url(value: str):
    return urlsplit(INTERPOLATION.sub("x", value))


def cdn_references(text: str) -> list[str]:
    """Absolute asset references and URLs on a CDN host found in text."""
    found = [match.group(0) for match in EXTERNAL_ASSET.finditer(text)]
    found += [match.group(0) for match in CSS_EXTERNAL_URL.finditer(text)]
    for match in URL.finditer(text):
        host = urlsplit(match.group(0) if ":" in match.group(0) else "http:" + match.group(0))
        hostname = (host.hostname or "").lower()
        if any(cdn in hostname for cdn in CDN_HOSTS):
            found.append(match.group(0))
    return found


def image_registry_is_a_cdn(image: str) -> bool:
    registry = image.split("/")[0] if "/" in image else ""
    return "." in registry and any(cdn in registry.lower() for cdn in CDN_HOSTS)


def test_compose_file_is_valid_against_the_compose_specification():
    assert validation_errors(compose()) == []


def test_compose_schema_check_rejects_a_misspelt_key_and_a_bad_condition():
    broken = copy.deepcopy(compose())
    broken["services"]["web"]["comand"] = "gunicorn"
    broken["services"]["worker"]["depends_on"]["db"]["condition"] = "service_ready"

    errors = validation_errors(broken)

    assert any("services/web" in error and "comand" in error for error in errors), errors
    assert any("services/worker/depends_on" in error for error in errors), errors


def test_web_worker_and_beat_are_the_services_that_run_the_app():
    assert set(app_services()) == {"web", "worker", "beat"}
    assert set(zorg_services()) == {"migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_every_app_service_gets_database_broker_key_and_media_root(name):
    env = environment(zorg_services()[name])

    assert set(env) >= REQUIRED_APP_VARIABLES, REQUIRED_APP_VARIABLES - set(env)
    assert env["ZORG_DEBUG"] == "0"
    assert parsed_url(env["DATABASE_URL"]).hostname == "db"
    assert parsed_url(env["REDIS_URL"]).hostname == "redis"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_no_app_service_installs_the_demo(name):
    """The demo's logins share a published password: not on a server."""
    env = environment(app_services()[name])

    assert env.get("ZORG_DEMO", "0") in {"0", "false", "no", "off", ""}


def _make_plan(*args: str) -> str:
    """The commands `make run` would run (make -n runs none of them)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "ZORG_BASE_URL", "MAKEFLAGS"}}
    return subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_serves_on_port_8000_or_the_port_it_is_given():
    assert "runserver 127.0.0.1:8000" in _make_plan()
    plan = _make_plan("PORT=8123")
    assert "runserver 127.0.0.1:8123" in plan
    assert "http://127.0.0.1:8123" in plan  # the links in e-mails follow


def test_app_services_share_one_environment():
    environments = [environment(service) for service in app_services().values()]

    assert all(env == environments[0] for env in environments)


def test_settings_read_every_variable_compose_gives_the_app():
    settings_source = SETTINGS_FILE.read_text()
    names = set(REQUIRED_APP_VARIABLES)
    for service in zorg_services().values():
        names |= set(environment(service))

    unread = sorted(name for name in names if f'"{name}"' not in settings_source)

    assert unread == [], f"zorg/settings.py never reads {unread}"


def test_database_urls_match_the_db_service():
    db_env = environment(compose()["services"]["db"])
    migrate_env = environment(zorg_services()["migrate"])
    app_env = environment(app_services()["web"])

    for env in (migrate_env, app_env):
        url = parsed_url(env["DATABASE_URL"])
        assert url.scheme in {"postgres", "postgresql"}
        assert url.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert parsed_url(migrate_env["DATABASE_URL"]).username == db_env["POSTGRES_USER"]
    assert "POSTGRES_PASSWORD" in migrate_env["DATABASE_URL"]
    assert "POSTGRES_PASSWORD" in db_env["POSTGRES_PASSWORD"]


def test_the_app_connects_as_the_role_migrate_grants_not_as_the_owner():
    db_service = compose()["services"]["db"]
    db_env = environment(db_service)
    migrate_env = environment(zorg_services()["migrate"])
    app_role = migrate_env["ZORG_DB_APP_ROLE"]

    assert app_role and app_role != db_env["POSTGRES_USER"]
    for name, service in app_services().items():
        env = environment(service)
        assert parsed_url(env["DATABASE_URL"]).username == app_role, name
        assert "ZORG_DB_APP_PASSWORD" in env["DATABASE_URL"], name
        assert "POSTGRES_PASSWORD" not in " ".join(env.values()), (
            f"{name} knows the owner's password"
        )
        assert "ZORG_DB_APP_ROLE" not in env, name
    # The db service creates that role in a new volume.
    assert db_env["ZORG_DB_APP_ROLE"] == app_role
    script = "./scripts/compose-app-role.sh:/docker-entrypoint-initdb.d/zorg-app-role.sh:ro"
    assert script in db_service["volumes"]
    assert os.access(ROOT / "scripts" / "compose-app-role.sh", os.X_OK)


def test_secrets_come_from_the_environment_not_the_file():
    env = environment(app_services()["web"])
    db_env = environment(compose()["services"]["db"])

    for value in (
        env["ZORG_SECRET_KEY"],
        db_env["POSTGRES_PASSWORD"],
        db_env["ZORG_DB_APP_PASSWORD"],
    ):
        assert INTERPOLATION.fullmatch(value), f"{value!r} is written into docker-compose.yml"
        assert ":?" in value, "a missing secret must stop `docker compose up`"


def test_services_wait_for_healthy_database_and_redis():
    services = compose()["services"]
    for name, service in zorg_services().items():
        depends_on = service["depends_on"]
        needs = ("db",) if name == "migrate" else ("db", "redis")
        for dependency in needs:
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency}"


def test_migrate_runs_before_web_worker_and_beat_and_beat_uses_the_database_scheduler():
    services = compose()["services"]
    migrate = zorg_services()["migrate"]
    beat_command = " ".join(services["beat"]["command"])

    assert " ".join(migrate["command"]) == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    for name, service in app_services().items():
        assert service["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "migrate" not in " ".join(service["command"]), name
    assert " ".join(services["web"]["command"]).startswith("gunicorn zorg.wsgi")
    assert "celery -A zorg worker" in " ".join(services["worker"]["command"])
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat_command


def test_uploaded_documents_live_on_a_volume_outside_the_static_root():
    for name, service in zorg_services().items():
        media_root = environment(service)["ZORG_MEDIA_ROOT"]
        sources = {
            volume.split(":")[1]: volume.split(":")[0] for volume in service.get("volumes", [])
        }

        assert media_root in sources, f"{name}: {media_root} is not a volume"
        assert sources[media_root] in compose()["volumes"], f"{name}: not a named volume"
        assert not media_root.startswith("/app"), f"{name}: media inside the code tree"


def test_cdn_check_finds_cdn_and_external_assets():
    assert cdn_references('<script src="https://cdn.jsdelivr.net/npm/htmx.org@2"></script>')
    assert cdn_references("<link rel=stylesheet href=//unpkg.com/bootstrap/dist/b.css>")
    assert cdn_references('<img alt="" src="https://example.org/logo.png">')
    assert cdn_references("@import url('https://fonts.googleapis.com/css2?family=Inter');")
    assert cdn_references("DOCS: https://cdnjs.cloudflare.com/ajax/libs/x.js")
    assert image_registry_is_a_cdn("registry.cdn.example.com/postgres:15")
    assert not image_registry_is_a_cdn("postgres:15")
    assert not cdn_references("<script src=\"{% static 'vendor/htmx/htmx.min.js' %}\"></script>")
    assert not cdn_references('<a href="https://www.vlaanderen.be/clb">CLB</a>')


def files_served_or_deployed() -> list[Path]:
    files = [COMPOSE_FILE, ROOT / "Dockerfile"]
    files += sorted((ROOT / "templates").rglob("*.html"))
    files += sorted((ROOT / "templates").rglob("*.txt"))
    for pattern in ("*.html", "*.css", "*.js"):
        files += sorted((ROOT / "static").rglob(pattern))
    for app in ("zorg", "leerlingen", "klassenraad", "clb"):
        files += sorted((ROOT / app).rglob("templates/**/*.html"))
    return files


def test_no_image_url_or_asset_comes_from_a_cdn():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in files_served_or_deployed()
        if (found := cdn_references(path.read_text(errors="replace")))
    }

    assert offenders == {}
    images = [service.get("image", "") for service in compose()["services"].values()]
    assert not [image for image in images if image_registry_is_a_cdn(image)]


def test_compose_images_are_official_images_or_built_here():
    for name, service in compose()["services"].items():
        image = service.get("image", "")
        assert "build" in service or re.fullmatch(r"[a-z0-9]+:[0-9.]+", image), (name, image)


def test_ci_runs_make_test():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    assert "set -euo pipefail" in lines
    assert lines[-1] == "make test"


def test_make_test_runs_the_test_script_which_fails_when_pytest_collects_nothing():
    makefile = (ROOT / "Makefile").read_text()
    script = (ROOT / "scripts" / "test.sh").read_text()

    assert re.search(r"^test:\n\t@?bash scripts/test\.sh$", makefile, re.MULTILINE)
    assert "set -euo pipefail" in script
    pytest_lines = [line for line in script.splitlines() if re.search(r"\bpytest(_run)?\b", line)]
    assert any("--cov" in line and "-n " in line for line in pytest_lines)
    assert any("--cov-append" in line and '-m "browser or celery"' in line for line in pytest_lines)
    assert all("|| true" not in line for line in pytest_lines)
    assert 'return "$status"' in script
    assert "collected no tests" in script


def test_dockerfile_runs_gunicorn_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)
    assert re.search(r"^USER zorg$", dockerfile, re.MULTILINE)
    assert re.search(r'^CMD \["gunicorn", "zorg\.wsgi"', dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile
    assert "compilemessages" in dockerfile


def test_the_dockerfiles_build_step_gives_what_production_settings_require():
    """collectstatic runs with production settings at build time: every
    variable they insist on must be set there, or the image does not build."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    stap = next(blok for blok in dockerfile.split("\nRUN ") if "collectstatic" in blok)
    env = dict(re.findall(r"^\s*(?:RUN )?([A-Z_]+)=(\"[^\"]*\"|\S+)", stap, re.MULTILINE))
    assert {"DATABASE_URL", "ZORG_SECRET_KEY", "ZORG_BASE_URL"} <= set(env)
    env["ZORG_SECRET_KEY"] = "b" * 64  # the build computes a throwaway key
    resultaat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "zorg.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert resultaat.returncode == 0, resultaat.stderr


# --- The lock files -------------------------------------------------------

LOCK_FILES = {
    "run": ROOT / "requirements" / "run.txt",
    "test": ROOT / "requirements" / "test.txt",
}
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?:\s*;\s*(?P<marker>.+))?$"
)


@dataclass
class Pin:
    version: str
    marker: str | None
    hashes: list[str]


def read_lock(path: Path) -> dict[str, Pin]:
    """Package name (canonical) -> its pin, from a `make lock` file."""
    # A requirement and its --hash options form one line continued with "\".
    text = re.sub(r"\\\n", " ", path.read_text())
    pins = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(" --hash=")
        match = PIN.match(words[0].strip())
        assert match, f"{path.name}: not an exact pin: {line[:80]}"
        pins[canonicalize_name(match["name"])] = Pin(
            version=match["version"],
            marker=match["marker"],
            hashes=[word.strip() for word in words[1:]],
        )
    return pins


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def declared_requirements(*extras: str) -> list[Requirement]:
    project = pyproject()["project"]
    declared = list(project["dependencies"])
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    return [Requirement(line) for line in declared]


def required_by_extras(requirement: Requirement) -> list[str]:
    """The names of what the requirement's extras pull in on this platform
    (psycopg[binary] -> psycopg-binary), from the installed distribution."""
    if not requirement.extras:
        return []
    try:
        declared = importlib.metadata.requires(requirement.name) or []
    except importlib.metadata.PackageNotFoundError:
        return []  # not installed: a new dependency, reported as missing anyway
    found = []
    for line in declared:
        dependency = Requirement(line)
        marker = dependency.marker
        if (
            marker
            and "extra" in str(marker)
            and any(marker.evaluate({"extra": extra}) for extra in requirement.extras)
        ):
            found.append(dependency.name)
    return found


@pytest.mark.parametrize(("lock", "extras"), [("run", ()), ("test", ("test",))])
def test_every_dependency_in_pyproject_is_pinned_with_hashes_in_the_lock_file(lock, extras):
    pins = read_lock(LOCK_FILES[lock])
    missing = []
    for requirement in declared_requirements(*extras):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None or not requirement.specifier.contains(pin.version, prereleases=True):
            missing.append(str(requirement))
        missing += [
            f"{name} (for {requirement})"
            for name in required_by_extras(requirement)
            if canonicalize_name(name) not in pins
        ]

    assert missing == [], f"pyproject.toml changed without `make lock`: {missing}"


@pytest.mark.parametrize("lock", LOCK_FILES)
def test_every_package_in_the_lock_file_has_hashes(lock):
    pins = read_lock(LOCK_FILES[lock])

    assert len(pins) > 20
    assert [name for name, pin in pins.items() if not pin.hashes] == []
    assert all(h.startswith("sha256:") for pin in pins.values() for h in pin.hashes)


def test_the_test_lock_pins_what_run_needs_at_the_same_versions():
    run, test = read_lock(LOCK_FILES["run"]), read_lock(LOCK_FILES["test"])

    differing = {
        name: (pin.version, test[name].version if name in test else None)
        for name, pin in run.items()
        if name not in test or test[name].version != pin.version
    }
    assert differing == {}


def test_lock_check_notices_a_dependency_added_without_a_refresh():
    pins = read_lock(LOCK_FILES["run"])
    assert canonicalize_name("django") in pins
    assert not Requirement("Django>=99").specifier.contains(pins["django"].version)
    assert canonicalize_name("django-nieuw-pakket") not in pins


def test_checkout_installs_only_from_the_lock_files():
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()

    # --no-deps: the lock is the whole closure; `pip check` proves it consistent.
    assert "pip install --disable-pip-version-check --no-deps" in bootstrap
    pip_check = '--require-hashes -r "$lock" && "$venv/bin/python" -m pip check'
    assert pip_check in bootstrap
    assert "lock=requirements/test.txt" in bootstrap
    assert "lock=requirements/run.txt" in bootstrap
    # Skipping pip follows the lock file, not pyproject.toml.
    assert "-nt pyproject.toml" not in bootstrap
    assert re.search(
        r"^RUN pip install --no-deps --require-hashes -r requirements/run\.txt && pip check$",
        dockerfile,
        re.MULTILINE,
    )
    assert not re.search(r"pip install (-e )?\.", dockerfile + bootstrap)
    assert re.search(r"^lock:\n\t@?bash scripts/lock\.sh$", makefile, re.MULTILINE)
    for path in LOCK_FILES.values():
        assert "#    make lock" in path.read_text()
