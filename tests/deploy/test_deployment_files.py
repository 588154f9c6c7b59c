"""The deployment recipes are checked the way their own tools check them (no image is pulled)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tandem.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
UNITS = [ROOT / "deploy" / "systemd" / name for name in ("tandem.service", "tandem-worker.service")]
ENV_EXAMPLE = ROOT / "deploy" / "systemd" / "tandem.env.example"
COMPOSE_ENV = {
    "POSTGRES_PASSWORD": "a-test-password",
    "TANDEM_SECRET_KEY": "a" * 48,
    "TANDEM_PUBLIC_URL": "https://help.example.com",
}


def _tool(name: str) -> str:
    """A checker's path; scripts/test installs them (hadolint with the dev extra)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is missing: run ./scripts/test, which installs it"
    return found


def _run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_the_dockerfile_passes_hadolint() -> None:
    _run(_tool("hadolint"), "--failure-threshold", "info", str(DOCKERFILE))


def test_hadolint_would_catch_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python\nRUN apt-get install curl\n")
    result = subprocess.run(
        [_tool("hadolint"), str(careless)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DL3006" in result.stdout  # an untagged base image


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    recipe = DOCKERFILE.read_text()
    assert len(re.findall(r"^FROM ", recipe, flags=re.MULTILINE)) == 2, "build and run stages"
    users = re.findall(r"^USER (\S+)$", recipe.rsplit("\nFROM ", 1)[1], flags=re.MULTILINE)
    assert users
    assert users[-1].split(":")[0].isdigit()
    assert users[-1].split(":")[0] != "0"
    assert "--constraint constraints.txt" in DOCKERFILE.read_text()


def test_the_compose_file_is_valid() -> None:
    config = _run(
        _tool("docker-compose"), "-f", str(COMPOSE), "config", env={**os.environ, **COMPOSE_ENV}
    )
    services = yaml.safe_load(config.split("\n", 1)[1] if config.startswith("WARN") else config)
    assert set(services["services"]) == {"postgres", "redis", "migrate", "web", "worker"}
    for name in ("web", "worker"):
        service = services["services"][name]
        assert service["environment"]["TANDEM_REDIS_URL"] == "redis://redis:6379/0"
        assert service["environment"]["TANDEM_JOB_RUNNER"] == "separate"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["services"]["worker"]["command"] == ["tandem", "worker"]


def test_the_compose_file_refuses_to_start_without_its_secrets() -> None:
    env = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    result = subprocess.run(
        [_tool("docker-compose"), "-f", str(COMPOSE), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD" in result.stderr


def test_the_compose_settings_are_accepted_in_production() -> None:
    data = yaml.safe_load(COMPOSE.read_text())
    environment = data["x-tandem"]["environment"]
    values = {k: re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: COMPOSE_ENV[m[1]], str(v))
              for k, v in environment.items()}  # fmt: skip
    settings = Settings(**{k.removeprefix("TANDEM_").lower(): v for k, v in values.items()})
    assert settings.environment == "production"


@pytest.mark.parametrize("recipe", UNITS, ids=lambda p: p.name)
def test_the_systemd_units_verify(recipe: Path, tmp_path: Path) -> None:
    tandem = Path(sys.executable).with_name("tandem")
    unit = tmp_path / recipe.name
    unit.write_text(recipe.read_text().replace("/opt/tandem/bin/tandem", str(tandem)))
    output = _run(_tool("systemd-analyze"), "verify", "--man=no", str(unit))
    assert recipe.name not in output, output  # no unknown key, no bad value


def test_the_example_environment_names_only_real_settings() -> None:
    names = [
        line.split("=", 1)[0].removeprefix("TANDEM_").lower()
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.startswith("TANDEM_")
    ]
    assert names
    unknown = [n for n in names if n not in Settings.model_fields]
    assert not unknown


@pytest.mark.parametrize("path", ["constraints.txt"])
def test_every_dependency_is_pinned(path: str) -> None:
    lines = [
        line
        for line in (ROOT / path).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line) for line in lines)
