"""docker-compose.yml is validated by the compose tool itself (no Docker engine runs here)."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

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
