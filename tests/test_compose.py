"""docker-compose.yml is validated by the compose tool itself (no Docker engine runs here)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from reminders import sweep_record

ROOT = Path(__file__).resolve().parent.parent


def _config(env: dict) -> subprocess.CompletedProcess:
    tool = shutil.which("docker-compose")
    assert tool, "docker-compose (Debian package) must be installed; .ci/run installs it"
    return subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **env},
        cwd=ROOT,
        timeout=60,
    )


def test_compose_file_is_valid_and_has_the_full_stack():
    result = _config({"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"})
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["services"]) == {"postgres", "redis", "web", "worker", "beat", "mailpit"}
    assert "healthcheck" in config["services"]["postgres"]
    assert "healthcheck" in config["services"]["redis"]
    assert config["services"]["web"]["environment"]["SECRET_KEY"] == "x"
    # web and worker share one cache
    for service in ("web", "worker"):
        assert config["services"][service]["environment"]["CACHE_URL"].startswith("redis://redis")


def test_compose_refuses_to_start_without_a_secret_key():
    result = _config({"POSTGRES_PASSWORD": "y"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_web_worker_and_beat_share_the_key_and_the_proxy_settings():
    result = _config(
        {
            "SECRET_KEY": "x",
            "POSTGRES_PASSWORD": "y",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for service in ("web", "worker", "beat"):
        environment = services[service]["environment"]
        assert environment["SECRET_KEY"] == "x"
        assert environment["SECURE_PROXY_SSL_HEADER"] == "HTTP_X_FORWARDED_PROTO,https"
        assert environment["SECURE_SSL_REDIRECT"] == "false"


def test_web_worker_and_beat_have_health_checks():
    result = _config({"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["web"]["healthcheck"]["test"][1:] == [
        "python",
        "config/probe.py",
        "http://127.0.0.1:8000/healthz",
    ]
    # the container's own worker, by its name ($$: a "$" the shell reads, not compose)
    assert "inspect ping -d celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    assert services["beat"]["healthcheck"]["test"][1:] == [
        "python",
        "manage.py",
        "healthcheck",
        "sweep",
    ]


@pytest.mark.django_db
def test_the_web_probe_passes_on_200_and_fails_on_503(live_server, settings, monkeypatch):
    """config/probe.py as docker-compose runs it, against a real server: healthy once a sweep
    is recorded, not before; it names a host that ALLOWED_HOSTS accepts."""
    from django.core.cache import cache

    from config import probe

    cache.clear()  # no sweep recorded by an earlier test

    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(ROOT)}
    monkeypatch.setenv("ALLOWED_HOSTS", ".localhost,example.org")
    url = f"{live_server.url}/healthz"
    assert probe.host_header() == "localhost"
    assert probe.main(url) == 1  # no sweep yet
    sweep_record.record_sweep(duration=0.1)
    assert probe.main(url) == 0


def test_the_app_and_mailpit_are_published_to_this_machine_only():
    """Issue 27: the app port reached from elsewhere lets a client write its own
    X-Forwarded-For; Mailpit's web UI shows every mail (reset links) without a login."""
    result = _config({"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for service, port in (("web", 8000), ("mailpit", 8025)):
        [published] = services[service]["ports"]
        published = published if isinstance(published, str) else str(published)
        assert published.startswith(f"127.0.0.1:{port}:"), (service, published)
    for service in ("postgres", "redis", "worker", "beat"):
        assert "ports" not in services[service]


def test_the_proxies_trusted_are_the_compose_network():
    result = _config({"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"})
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    [subnet] = [c["subnet"] for c in config["networks"]["default"]["ipam"]["config"]]
    for service in ("web", "worker", "beat"):
        assert config["services"][service]["environment"]["TRUSTED_PROXY_NETWORKS"] == subnet
    assert "TRUSTED_PROXY_COUNT" not in config["services"]["web"]["environment"]
