"""Fault injection: each kind on the wire, seeded reproducibility, queued faults, stats."""

from __future__ import annotations

import contextlib
import json
import socket
import time

import pytest
import requests
from descope_emulator import EmulatorServer, FaultConfig, FaultKind, Quota
from descope_emulator.faults import ERROR_STATUSES, Fault, FaultInjector
from emu_support import api

CREATE = "/v1/mgmt/tenant/create"
ALL = "/v1/mgmt/tenant/all"


def raw_exchange(emulator: EmulatorServer, method: str, path: str, body: bytes = b"") -> bytes:
    """Sends one request on a plain socket and returns everything read until the server closes."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {emulator.authorization}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


# ----- configuration ------------------------------------------------------------------------------


def test_config_validation_and_cli_shorthand() -> None:
    with pytest.raises(ValueError):
        FaultConfig(error_rate=-0.1)
    with pytest.raises(ValueError):
        FaultConfig(error_rate=0.6, reset_rate=0.6)
    with pytest.raises(ValueError):
        FaultConfig(slow_seconds=-1)
    with pytest.raises(ValueError):
        FaultConfig.from_json({"error_rate": "0.1"})
    uniform = FaultConfig.uniform(0.2, slow_seconds=0.1)
    assert [rate for _, rate in uniform.rates()] == pytest.approx([0.05, 0.05, 0.05, 0.05, 0.0, 0.0])
    assert FaultConfig.from_json(
        {"fault_rate": 0.2, "slow_seconds": 0.1, "malformed_rate": 0.1}
    ) == FaultConfig(
        error_rate=0.05,
        reset_rate=0.05,
        slow_rate=0.05,
        lost_response_rate=0.05,
        malformed_rate=0.1,
        slow_seconds=0.1,
    )
    assert not FaultConfig().active


def test_same_seed_same_fault_sequence() -> None:
    config = FaultConfig(
        error_rate=0.2, reset_rate=0.2, slow_rate=0.1, lost_response_rate=0.1, malformed_rate=0.1
    )

    def sequence(seed: int) -> list[Fault | None]:
        injector = FaultInjector(config, seed)
        return [injector.draw("GET", ALL) for _ in range(200)]

    assert sequence(3) == sequence(3)
    assert sequence(3) != sequence(4)
    kinds = {fault.kind for fault in sequence(3) if fault is not None}
    assert kinds == {
        FaultKind.ERROR,
        FaultKind.RESET,
        FaultKind.SLOW,
        FaultKind.LOST_RESPONSE,
        FaultKind.MALFORMED,
    }
    # Roughly the configured share of requests meets a fault.
    assert 0.55 < sum(fault is not None for fault in sequence(5)) / 200 < 0.85


def test_reconfiguring_restarts_the_sequence() -> None:
    injector = FaultInjector(FaultConfig(error_rate=0.5), seed=1)
    first = [injector.draw("GET", ALL) for _ in range(20)]
    injector.reset()
    assert [injector.draw("GET", ALL) for _ in range(20)] == first
    injector.configure(FaultConfig(error_rate=0.5), seed=1)
    assert [injector.draw("GET", ALL) for _ in range(20)] == first


def test_queued_faults_match_method_and_path_in_order() -> None:
    injector = FaultInjector()
    injector.enqueue("reset", method="post", path=CREATE)
    injector.enqueue(FaultKind.ERROR, status=522)
    assert injector.draw("GET", ALL) is not None and injector.draw("GET", ALL) is None  # the error fault
    fault = injector.draw("POST", CREATE)
    assert fault is not None and fault.kind is FaultKind.RESET
    with pytest.raises(ValueError):
        injector.enqueue("error", status=404)
    with pytest.raises(ValueError):
        injector.enqueue("malformed", variant="nope")
    with pytest.raises(ValueError):
        injector.enqueue("error", variant="nope")


def test_seeded_reproducibility_over_http() -> None:
    config = FaultConfig(
        error_rate=0.25, reset_rate=0.25, lost_response_rate=0.25, slow_rate=0.1, slow_seconds=0
    )

    def run(seed: int) -> list[tuple[str, str | None]]:
        with EmulatorServer(faults=config, seed=seed) as emulator:
            for i in range(30):
                with contextlib.suppress(requests.ConnectionError):
                    api(emulator, "POST", CREATE, {"name": f"t{i}"}, timeout=2)
            return [(entry["outcome"], entry["fault"]) for entry in emulator.requests()]

    first = run(11)
    assert first == run(11)
    assert first != run(12)
    assert {outcome for outcome, _ in first} >= {"200", "reset", "lost_response"}


# ----- each kind on the wire -----------------------------------------------------------------------


def test_error_faults_answer_5xx_without_processing(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultConfig(error_rate=1.0), seed=2)
    seen = set()
    for i in range(25):
        response = api(emulator, "POST", CREATE, {"name": f"t{i}"})
        assert response.status_code in ERROR_STATUSES
        seen.add(response.headers["Content-Type"].split(";")[0])
    assert seen == {"application/json", "text/plain", "text/html"}
    assert emulator.state.tenant_count() == 0
    assert emulator.stats()["faults"]["error"] == 25


@pytest.mark.parametrize(
    ("variant", "content_type", "marker"),
    [
        ("json", "application/json", b'"errorCode"'),
        ("text", "text/plain", b"error code: 522"),
        ("html", "text/html", b"<html"),
    ],
)
def test_queued_error_fault_bodies(
    emulator: EmulatorServer, variant: str, content_type: str, marker: bytes
) -> None:
    emulator.queue_fault("error", status=522, variant=variant)
    response = api(emulator, "GET", ALL)
    assert response.status_code == 522
    assert response.headers["Content-Type"].startswith(content_type)
    assert marker in response.content
    if variant == "json":
        assert set(response.json()) == {"errorCode", "errorDescription", "errorMessage"}
    assert api(emulator, "GET", ALL).status_code == 200  # the queue held one fault


def test_reset_is_a_tcp_rst_before_processing(emulator: EmulatorServer) -> None:
    emulator.queue_fault("reset")
    with pytest.raises(ConnectionResetError):
        raw_exchange(emulator, "POST", CREATE, b'{"name": "A"}')
    emulator.set_faults(FaultConfig(reset_rate=1.0))
    with pytest.raises(requests.ConnectionError):
        api(emulator, "POST", CREATE, {"name": "A"})
    assert emulator.state.tenant_count() == 0
    assert emulator.stats()["requests"][f"POST {CREATE}"] == {"reset": 2}
    assert emulator.stats()["faults"]["reset"] == 2


def test_lost_response_commits_then_resets(emulator: EmulatorServer) -> None:
    emulator.queue_fault("lost_response", method="POST", path=CREATE)
    with requests.Session() as session:
        with pytest.raises(requests.ConnectionError):
            api(emulator, "POST", CREATE, {"name": "Ghost"}, session=session)
        # The write happened, and the same session recovers on a new connection.
        tenants = api(emulator, "GET", ALL, session=session).json()["tenants"]
    assert [t["name"] for t in tenants] == ["Ghost"]
    emulator.queue_fault("lost_response")
    with pytest.raises(ConnectionResetError):
        raw_exchange(emulator, "GET", ALL)
    assert emulator.stats()["faults"]["lost_response"] == 2


def test_slow_fault_delays_the_answer(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultConfig(slow_rate=1.0, slow_seconds=0.3))
    started = time.monotonic()
    assert api(emulator, "POST", CREATE, {"name": "A"}).status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(requests.ReadTimeout):
        api(emulator, "POST", CREATE, {"name": "B"}, timeout=0.1)
    time.sleep(0.3)  # the slow request still completes on the server
    assert emulator.state.tenant_count() == 2
    assert emulator.stats()["faults"]["slow"] == 2


def test_malformed_answers(emulator: EmulatorServer) -> None:
    emulator.queue_fault("malformed", variant="empty")
    empty = api(emulator, "POST", CREATE, {"name": "A"})
    assert (empty.status_code, empty.content, empty.headers["Content-Length"]) == (200, b"", "0")

    emulator.queue_fault("malformed", variant="truncated")
    truncated = api(emulator, "POST", CREATE, {"name": "B"})
    assert truncated.status_code == 200
    assert truncated.content.startswith(b'{"id"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncated.content)

    emulator.queue_fault("malformed", variant="html")
    proxy = api(emulator, "POST", CREATE, {"name": "C"})
    assert proxy.status_code == 502
    assert b"Bad Gateway" in proxy.content
    # The mangled 200s were committed; the proxy page was not.
    assert sorted(t["name"] for t in emulator.state.all_tenants()["tenants"]) == ["A", "B"]
    assert emulator.stats()["faults"]["malformed"] == 3


def test_hang_answers_nothing_and_shutdown_still_is_prompt() -> None:
    emulator = EmulatorServer(faults=FaultConfig(hang_rate=1.0, hang_seconds=30)).start()
    try:
        with pytest.raises(requests.ReadTimeout):
            api(emulator, "POST", CREATE, {"name": "A"}, timeout=0.3)
        assert emulator.state.tenant_count() == 0
        assert emulator.stats()["requests"][f"POST {CREATE}"] == {"hang": 1}
    finally:
        started = time.monotonic()
        emulator.stop()
    assert time.monotonic() - started < 2


def test_hang_ends_with_a_reset_after_hang_seconds(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultConfig(hang_rate=1.0, hang_seconds=0.2))
    with pytest.raises(ConnectionResetError):
        raw_exchange(emulator, "GET", ALL)


def test_quota_refusal_wins_over_a_drawn_5xx() -> None:
    with EmulatorServer(faults=FaultConfig(error_rate=1.0)) as emulator:
        emulator.set_quota(None)
        assert api(emulator, "GET", ALL).status_code in ERROR_STATUSES
    with EmulatorServer(quota=Quota(1, 60)) as emulator:
        api(emulator, "GET", ALL)
        emulator.set_faults(FaultConfig(error_rate=1.0))
        assert api(emulator, "GET", ALL).status_code == 429
        assert emulator.stats()["faults"]["error"] == 0
