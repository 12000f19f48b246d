"""The deployment files: valid, lint-clean, and shaped the way production needs.

No Docker engine and no database: the compose file is checked against the compose
schema (check-jsonschema), the Dockerfile with hadolint, and both Procfiles and the
compose services by reading them.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")  # honcho's and Heroku's rule


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def _compose() -> dict:
    # check-jsonschema brings ruamel.yaml (PyYAML is not installed); the safe loader
    # resolves the x-env / x-app anchors and `<<` merges like Compose does.
    return YAML(typ="safe", pure=True).load((ROOT / "docker-compose.yml").read_text())


def _argv(command) -> list[str]:
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def _runs_celery_beat(argv: list[str]) -> bool:
    # `celery -A config beat`, also inside `sh -c "..."`.
    words = [word for part in argv for word in shlex.split(part)] if argv else []
    return "celery" in words and "beat" in words


def _procfile(name: str) -> dict[str, str]:
    processes = {}
    for line in (ROOT / name).read_text().splitlines():
        match = PROCFILE_LINE.match(line)
        if match:
            assert match[1] not in processes, f"{name}: {match[1]} defined twice"
            processes[match[1]] = match[2]
    return processes


def test_it_validates_the_compose_file_against_the_compose_schema():
    result = _run(BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_lints_the_dockerfile_without_warnings():
    result = _run(BIN / "hadolint", "--failure-threshold", "warning", ROOT / "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_wires_the_compose_services_for_production():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= services.keys()

    commands = {
        name: _argv(service.get("entrypoint")) + _argv(service.get("command")) for name, service in services.items()
    }
    beats = [name for name, argv in commands.items() if _runs_celery_beat(argv)]
    assert beats == ["beat"], f"exactly one service must run celery beat, found {beats}"
    embedded = [name for name, argv in commands.items() if "-B" in argv or "--beat" in argv]
    assert embedded == [], f"beat embedded in a worker (-B) in {embedded}"
    assert "worker" in commands["worker"] and "celery" in commands["worker"]
    # Delivering notices waits on the mail server: threads overlap those waits.
    assert "--pool=threads" in commands["worker"]
    assert "gunicorn" in commands["web"]
    assert "--reuse-port" in commands["web"]  # connections spread over the workers

    for name in ("web", "worker"):
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency in ("db", "redis"):
            assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (name, dependency)

    for name in ("db", "redis", "web"):
        healthcheck = services[name].get("healthcheck") or {}
        assert healthcheck.get("test") and not healthcheck.get("disable"), f"{name} needs a healthcheck"
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])


def test_it_declares_the_procfile_processes():
    production = _procfile("Procfile")
    assert {"release", "web", "worker", "beat"} <= production.keys()
    assert "migrate" in production["release"] and "load_prompts" in production["release"]
    assert "gunicorn" in production["web"] and "$PORT" in production["web"]
    assert "-B" not in production["worker"].split(), "production beat runs once, as its own process"
    assert "beat" in production["beat"].split()

    development = _procfile("Procfile.dev")
    assert "web" in development and "runserver" in development["web"]
    worker = development["worker"].split()
    assert "-B" in worker and "--pool=solo" in worker
    # honcho gives each process its PORT (from `make run PORT=...`): the dev server listens there.
    assert development["web"].split()[-1].endswith(":$PORT")


def test_it_starts_the_dev_server_and_its_links_on_the_port_given():
    environ = {key: value for key, value in os.environ.items() if key not in {"PORT", "SITE_URL", "MAKEFLAGS"}}
    result = subprocess.run(
        ["make", "--dry-run", "run", "PORT=8123"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "honcho -f Procfile.dev start --port 8123" in result.stdout
    assert "open http://127.0.0.1:8123/" in result.stdout  # SITE_URL, which email links use


# --- Locked dependencies ---------------------------------------------------------------

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _locked(name: str) -> dict[str, str]:
    """requirements/NAME: package -> pinned version, each pin followed by its hashes."""
    pins: dict[str, str] = {}
    lines = (ROOT / "requirements" / name).read_text().splitlines()
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert "--hash=sha256:" in lines[number + 1], f"{name}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _assert_satisfied(pins: dict[str, str], requirements: list[str], lockfile: str) -> None:
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is declared but not in {lockfile}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lockfile} pins {name}=={pins[name]}, pyproject.toml wants {requirement}: run `make lock`"
        )


def test_it_locks_every_declared_dependency_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, extras = project["dependencies"], project["optional-dependencies"]
    base, dev = _locked("base.txt"), _locked("dev.txt")
    _assert_satisfied(base, runtime, "requirements/base.txt")
    _assert_satisfied(dev, runtime + extras["test"] + extras["dev"], "requirements/dev.txt")
    assert {name: dev[name] for name in base} == base, "the image must run the versions the tests ran"
    assert _locked("uv.txt") == {"uv": dev["uv"]}


def test_it_installs_only_locked_hashed_dependencies():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt" in makefile
    assert "uv pip sync --quiet --python $(BIN)/python --require-hashes requirements/dev.txt" in makefile
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements/base.txt" in dockerfile
    assert "pip install --no-cache-dir ." not in dockerfile


def test_it_lints_before_it_tests_in_ci():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in script and "make test" in script
    assert script.index("make lint") < script.index("make test")


def test_it_runs_the_production_worker_with_a_thread_pool():
    processes = dict(line.split(":", 1) for line in Path("Procfile").read_text().splitlines() if line.strip())
    assert "--pool=threads" in processes["worker"].split()


# --- HTTPS: Caddy in front, everything else derived from DOMAIN --------------------------


def _settings_with(**environ: str) -> dict:
    """config.settings as a fresh process reads it from this environment."""
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env |= {
        "SECRET_KEY": "deploy-test",
        "DEBUG": "0",
        "VAR_DIR": str(Path(tempfile.gettempdir()) / "attune-deploy-test-var"),
        **environ,
    }
    script = (
        "import json; from config import settings as s; print(json.dumps({name: getattr(s, name) for name in "
        "['SITE_URL', 'ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'VAPID_SUBJECT']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_it_puts_caddy_in_front_with_https_and_compression():
    services = _compose()["services"]
    caddy = services["caddy"]
    assert caddy["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(caddy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert any(volume.endswith(":/data") for volume in caddy["volumes"]), "certificates must survive a restart"
    assert caddy["depends_on"]["web"]["condition"] == "service_healthy"
    # Only Caddy is reachable from outside: X-Forwarded-Proto cannot be forged past it.
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["caddy"]

    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    site = re.search(r"^\{\$DOMAIN(?::[^}]*)?\}\s*\{", caddyfile, re.MULTILINE)
    assert site, "the site address is the DOMAIN variable"
    assert re.search(r"^\s*encode\s+.*gzip", caddyfile, re.MULTILINE)
    assert re.search(r"^\s*reverse_proxy\s+web:8000\b", caddyfile, re.MULTILINE)
    assert "tls internal" not in caddyfile  # a public DOMAIN gets a real certificate


def test_it_hands_one_domain_to_every_service():
    compose = _compose()
    assert compose["x-env"]["DOMAIN"] == "${DOMAIN:-localhost}"
    assert compose["services"]["caddy"]["environment"]["DOMAIN"] == "${DOMAIN:-localhost}"
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["environment"]["DOMAIN"] == "${DOMAIN:-localhost}"


def test_it_derives_the_site_url_hosts_and_proxy_settings_from_the_domain():
    derived = _settings_with(DOMAIN="attune.example.org", SITE_URL="", ALLOWED_HOSTS="", CSRF_TRUSTED_ORIGINS="")
    assert derived["SITE_URL"] == "https://attune.example.org"
    assert derived["ALLOWED_HOSTS"] == ["attune.example.org"]
    assert derived["CSRF_TRUSTED_ORIGINS"] == ["https://attune.example.org"]
    assert derived["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert derived["SECURE_SSL_REDIRECT"] is True
    assert derived["SESSION_COOKIE_SECURE"] is True and derived["CSRF_COOKIE_SECURE"] is True


def test_it_lets_a_setting_given_on_its_own_win_over_the_domain():
    derived = _settings_with(DOMAIN="attune.example.org", ALLOWED_HOSTS="attune.example.org,www.attune.example.org")
    assert derived["ALLOWED_HOSTS"] == ["attune.example.org", "www.attune.example.org"]
    assert derived["SITE_URL"] == "https://attune.example.org"


def test_it_trusts_no_proxy_without_a_domain():
    derived = _settings_with()
    assert derived["SITE_URL"] == "http://127.0.0.1:8000"
    assert derived["SECURE_PROXY_SSL_HEADER"] is None
    assert derived["SECURE_SSL_REDIRECT"] is False


def test_it_gives_push_services_a_real_vapid_contact():
    assert _settings_with(DEFAULT_FROM_EMAIL="Attune <hello@attune.example.org>")["VAPID_SUBJECT"] == (
        "mailto:hello@attune.example.org"
    )
    assert _settings_with(VAPID_SUBJECT="https://attune.example.org/")["VAPID_SUBJECT"] == "https://attune.example.org/"
