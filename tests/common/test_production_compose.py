"""The production compose file (docker-compose.yml, deploy/nginx/portal.conf) has the shape
the README promises. No Docker engine runs here, so the file is read as YAML and its properties
checked; `docker compose config` validates it too where the compose plugin is installed."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX_CONF = (ROOT / "deploy" / "nginx" / "portal.conf").read_text()


def command(service):
    value = SERVICES[service].get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def with_defaults(text):
    """``${NAME:-default}`` → ``default`` (what compose substitutes when NAME is unset)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)


def flag(service, name):
    words = shlex.split(with_defaults(command(service)))
    for index, word in enumerate(words):
        if word == name:
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def long_running():
    return [name for name, service in SERVICES.items() if service.get("restart") != "no"]


def test_gunicorn_runs_several_workers_behind_nginx():
    assert "gunicorn" in command("web")
    assert int(flag("web", "--workers")) >= 2
    assert "ports" not in SERVICES["web"]  # only nginx is published
    assert SERVICES["nginx"]["ports"]
    assert "server web:8000" in NGINX_CONF
    assert SERVICES["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_nginx_limits_uploads_above_the_portals_own_limit_and_no_more():
    size = re.search(r"client_max_body_size\s+(\d+)m;", NGINX_CONF)
    assert size, "nginx must cap the request body"
    limit = int(size.group(1)) * 1024 * 1024
    assert max(settings.FILE_LIMITS.values()) < limit <= 100 * 1024 * 1024


def test_private_files_go_out_through_an_internal_location_of_the_same_volume():
    prefix = COMPOSE["x-portal-env"]["PRIVATE_FILES_ACCEL_REDIRECT"]
    location = re.search(r"location " + re.escape(prefix) + r" \{(.*?)\}", NGINX_CONF, re.S)
    assert location, f"nginx has no location {prefix}"
    body = location.group(1)
    assert "internal;" in body  # never reachable from outside
    alias = re.search(r"alias\s+(\S+);", body).group(1).rstrip("/")
    private_root = COMPOSE["x-portal-env"]["PRIVATE_MEDIA_ROOT"].rstrip("/")
    assert alias == private_root
    assert f"private-files:{private_root}:ro" in SERVICES["nginx"]["volumes"]
    assert f"private-files:{private_root}" in SERVICES["web"]["volumes"]


def test_one_migrate_job_and_everything_else_waits_for_it():
    migrating = [name for name in SERVICES if "manage.py migrate" in command(name)]
    assert migrating == ["migrate"]
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "beat", *[n for n in SERVICES if n.startswith("worker")]):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"), name


def _routes_in_production():
    """The task routes as production loads them (CELERY_SPLIT_QUEUES=true)."""
    code = ("import json, challenge_portal.settings as s; "
            "print(json.dumps([s.WORKER_QUEUES, s.CELERY_TASK_ROUTES]))")
    env = {**os.environ, "CELERY_SPLIT_QUEUES": "true", "DEBUG": "true"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    queues, routes = json.loads(out.strip().splitlines()[-1])
    return set(queues), {route["queue"] for route in routes.values()}


def test_one_worker_pool_per_queue_and_every_routed_queue_is_consumed():
    assert COMPOSE["x-portal-env"]["CELERY_SPLIT_QUEUES"] == "true"
    workers = {name: flag(name, "-Q") for name in SERVICES
               if "celery" in command(name) and " worker" in command(name)}
    consumed = [queue for queues in workers.values() for queue in queues.split(",")]
    assert len(consumed) == len(set(consumed)), "a queue is consumed by two pools"
    queues, routed = _routes_in_production()
    assert set(consumed) == queues
    assert routed | {"celery"} <= set(consumed)
    for name in workers:
        assert int(flag(name, "--concurrency")) >= 1
        assert "prefork" == (flag(name, "--pool") or "prefork")  # time limits need prefork


def test_exactly_one_beat():
    beats = [name for name in SERVICES
             if re.search(r"celery .*\bbeat\b", command(name)) or " -B" in command(name)]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas") == 1


def test_broker_persists_and_never_evicts_the_cache_evicts_and_persists_nothing():
    env = COMPOSE["x-portal-env"]
    broker = re.match(r"redis://([^:/]+)", env["REDIS_URL"]).group(1)
    cache = re.match(r"redis://([^:/]+)", env["CACHE_URL"]).group(1)
    assert broker != cache
    broker_command, cache_command = command(broker), command(cache)
    assert "--appendonly yes" in broker_command
    assert "--maxmemory-policy noeviction" in broker_command
    assert any(v.endswith(":/data") for v in SERVICES[broker]["volumes"])
    assert re.search(r"--maxmemory-policy (allkeys|volatile)-(lru|lfu)", cache_command)
    assert "--appendonly no" in cache_command and '--save ""' in cache_command


def test_postgresql_keeps_its_data_on_a_volume():
    volumes = SERVICES["postgres"]["volumes"]
    data = [v for v in volumes if v.endswith(":/var/lib/postgresql/data")]
    assert data and data[0].split(":")[0] in COMPOSE["volumes"]
    assert "shared_buffers=" in command("postgres")


def test_every_long_running_service_has_a_health_check():
    assert set(long_running()) == set(SERVICES) - {"migrate"}
    for name in long_running():
        check = SERVICES[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name


def test_docker_compose_config_accepts_the_file():
    try:
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=20)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        pytest.skip("no docker CLI")
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    env = {**os.environ, "SECRET_KEY": "x", "PORTAL_APP_PASSWORD": "x", "AUDIT_HMAC_KEY": "x",
           "PORTAL_OWNER_PASSWORD": "x", "POSTGRES_PASSWORD": "x"}
    result = subprocess.run(["docker", "compose", "-f", str(ROOT / "docker-compose.yml"),
                             "config", "--quiet"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
