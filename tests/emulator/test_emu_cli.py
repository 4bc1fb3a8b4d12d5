"""The ``descope-emulator`` command: one URL line on stdout, serves, exits 0 on SIGTERM/SIGINT."""

from __future__ import annotations

import io
import json
import re
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from descope_emulator import DEFAULT_MANAGEMENT_KEY, DEFAULT_PROJECT_ID, Quota
from descope_emulator.__main__ import build_parser, serve

AUTH = {"Authorization": f"Bearer {DEFAULT_PROJECT_ID}:{DEFAULT_MANAGEMENT_KEY}"}


class Running:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        stdout, stderr = self.process.communicate(timeout=10)
        return self.process.returncode, stdout, stderr


def start(*args: str, command: list[str] | None = None) -> Running:
    process = subprocess.Popen(
        [*(command or [sys.executable, "-m", "descope_emulator"]), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 15)
    if not ready:
        process.kill()
        pytest.fail("the emulator printed no URL within 15 s")
    line = process.stdout.readline()
    return Running(process, line.rstrip("\n"))


@pytest.fixture
def cli() -> Iterator[list[Running]]:
    """Collects started processes and kills any a test left running."""
    started: list[Running] = []
    yield started
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()


def test_prints_one_url_serves_and_exits_0_on_sigterm(cli: list[Running]) -> None:
    running = start("--port", "0", "--seed", "3", "--log-level", "DEBUG")
    cli.append(running)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", running.url)
    created = requests.post(
        running.url + "/v1/mgmt/tenant/create", json={"name": "A"}, headers=AUTH, timeout=5
    )
    assert created.status_code == 200
    denied = requests.get(
        running.url + "/v1/mgmt/tenant/all", headers={"Authorization": "Bearer P:secret-guess"}, timeout=5
    )
    assert denied.status_code == 401
    returncode, stdout, stderr = running.stop()
    assert returncode == 0
    assert stdout == ""  # the URL line was the only output
    assert "/v1/mgmt/tenant/create" in stderr  # DEBUG logs each request line ...
    assert DEFAULT_MANAGEMENT_KEY not in stderr  # ... and never a credential
    assert "secret-guess" not in stderr


def test_sigint_also_exits_0(cli: list[Running]) -> None:
    running = start()
    cli.append(running)
    assert requests.get(running.url + "/emulator/health", timeout=5).json() == {"ok": True}
    returncode, stdout, _ = running.stop(signal.SIGINT)
    assert (returncode, stdout) == (0, "")


def test_credentials_quota_faults_and_state_file(cli: list[Running], tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"tenants": [{"id": "seeded", "name": "Seeded", "selfProvisioningDomains": ["s.io"]}]})
    )
    running = start(
        "--project-id",
        "Pcustom",
        "--management-key",
        "Kcustom",
        "--rate-limit",
        "3/60",
        "--fault-rate",
        "0.5",
        "--seed",
        "1",
        "--state",
        str(state),
    )
    cli.append(running)
    assert requests.get(running.url + "/emulator/quota", timeout=5).json() == {
        "quota": {"requests": 3, "seconds": 60.0}
    }
    faults = requests.get(running.url + "/emulator/faults", timeout=5).json()
    assert [faults[f"{kind}_rate"] for kind in ("error", "reset", "slow", "lost_response")] == [0.125] * 4
    assert faults["seed"] == 1
    requests.post(running.url + "/emulator/faults", json=None, timeout=5)

    custom = {"Authorization": "Bearer Pcustom:Kcustom"}
    tenants = requests.get(running.url + "/v1/mgmt/tenant/all", headers=custom, timeout=5).json()["tenants"]
    assert [t["id"] for t in tenants] == ["seeded"]
    assert requests.get(running.url + "/v1/mgmt/tenant/all", headers=AUTH, timeout=5).status_code == 401
    for _ in range(2):  # requests 2 and 3 of 3 (the 401 went to another project's bucket)
        assert requests.get(running.url + "/v1/mgmt/tenant/all", headers=custom, timeout=5).status_code == 200
    limited = requests.get(running.url + "/v1/mgmt/tenant/all", headers=custom, timeout=5)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "60")
    assert running.stop()[0] == 0


def test_bad_arguments_and_bad_state_file(tmp_path: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "descope_emulator", "--rate-limit", "lots"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "descope_emulator", "--state", str(broken)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "cannot load" in result.stderr
    assert result.stdout == ""


def test_console_script(cli: list[Running]) -> None:
    script = Path(sys.executable).parent / "descope-emulator"
    if not script.exists():
        pytest.skip("the package is not installed in this environment (no descope-emulator script)")
    running = start(command=[str(script)])
    cli.append(running)
    assert requests.get(running.url + "/v1/mgmt/license", headers=AUTH, timeout=5).json() == {
        "rateLimitTier": "tier1"
    }
    assert running.stop()[0] == 0


class _Lines(io.StringIO):
    """Collects what serve() prints and signals when the first line arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.first_line = threading.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        if "\n" in self.getvalue():
            self.first_line.set()
        return written


def test_serve_in_process(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps([{"name": "From file"}]))
    args = build_parser().parse_args(["--fault-rate", "0.2", "--slow-seconds", "0", "--state", str(state)])
    out = _Lines()
    stopping = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(serve(args, stopping, out)))
    thread.start()
    try:
        assert out.first_line.wait(10)
        url = out.getvalue().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert requests.get(url + "/emulator/stats", timeout=5).json()["tenants"] == 1
        assert requests.get(url + "/emulator/faults", timeout=5).json()["error_rate"] == pytest.approx(0.05)
    finally:
        stopping.set()
        thread.join(10)
    assert result == [0]
    assert out.getvalue().count("\n") == 1


def test_serve_refuses_a_bad_state_file(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--state", str(tmp_path / "missing.json")])
    out = io.StringIO()
    assert serve(args, threading.Event(), out) == 2
    assert out.getvalue() == ""


def test_parser_validation() -> None:
    parser = build_parser()
    for bad in (["--fault-rate", "1.5"], ["--rate-limit", "10"], ["--port", "x"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
    args = parser.parse_args(["--rate-limit", "10/5"])
    assert args.rate_limit == Quota(10, 5.0)
    assert (args.host, args.port, args.project_id, args.management_key) == (
        "127.0.0.1",
        0,
        DEFAULT_PROJECT_ID,
        DEFAULT_MANAGEMENT_KEY,
    )
