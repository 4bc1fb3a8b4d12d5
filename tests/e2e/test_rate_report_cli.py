"""The rate report, read from the real CLI's output: one line from each plugin process that spoke to
Descope (the plugin prints it when the engine stops it, at the end of each phase: see
api/report.py), under the stack's Diagnostics, for `up`, `preview`, `refresh` and `destroy`. The
figures are checked against what the emulator saw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from descope_emulator import EmulatorServer, Quota

from tests.support.cli import CLIResult, PulumiProject, changes

pytestmark = pytest.mark.e2e

PROGRAM = """\
import pulumi_descope_dynamic as descope

for index in range(8):
    descope.Tenant(f"t{index}", name=f"Tenant {index}", tenant_id=f"t{index}")
"""
REPORT = re.compile(
    r"descope: rate report: (\d+) requests sent, (\d+) HTTP 429s met, waited ([\d.]+) s on the client "
    r"budget and ([\d.]+) s on Retry-After; (\d+)% of the quota \((\d+/[\d.]+) per IP\) used, "
    r"at most (\d+)% in any [\d.]+ s"
)


def diagnostics(output: str) -> list[str]:
    """The lines of every Diagnostics section (one per phase: the preview's and the update's): the
    indented lines that follow a `Diagnostics:` line. The CLI also shows each message once in the
    progress above; only these are counted."""
    lines: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.startswith("Diagnostics:"):
            inside = True
        elif inside and line and not line[0].isspace():
            inside = False
        elif inside:
            lines.append(line.strip())
    return lines


def reports(result: CLIResult) -> list[tuple[int, int, float, float, int, str, int]]:
    """The rate reports of one command, one per plugin process that spoke to Descope."""
    found = []
    for line in diagnostics(result.output):
        m = REPORT.fullmatch(line)
        if m:
            found.append((int(m[1]), int(m[2]), float(m[3]), float(m[4]), int(m[5]), m[6], int(m[7])))
    return found


def run_counted(project: PulumiProject, server: EmulatorServer, *args: str) -> tuple[CLIResult, int, int]:
    before = server.stats()
    result = project.run(*args)
    after = server.stats()
    return result, after["total"] - before["total"], after["rate_limited"] - before["rate_limited"]


def test_every_operation_that_spoke_to_descope_ends_with_one_rate_report(tmp_path: Path) -> None:
    with EmulatorServer(quota=Quota(6, 2)) as server:
        project = PulumiProject.create(tmp_path, PROGRAM)
        project.init_stack("e2e", server)
        # Half of a 6/2 quota: 3 requests per 2 s, so the client budget does the waiting.
        project.run("config", "set", "descope:rateLimit", "6/2")
        project.run("config", "set", "descope:rateLimitShare", "50")

        preview, sent, _ = run_counted(project, server, "preview")
        assert sent == 0 and reports(preview) == []  # a first preview does not call Descope

        up, sent, limited = run_counted(project, server, "up", "--yes")
        assert changes(up) == {"create": 9}
        (line,) = reports(up)  # the preview phase sent nothing; the update phase's plugin reports
        assert line[0] == sent and line[1] == limited == 0
        assert line[2] > 1.0 and line[3] == 0.0  # 8 creates + reads at 3 per 2 s: budget waits
        assert line[4] <= 55 and line[5] == "6/2"  # half the quota (the window slack keeps it under)
        assert line[6] == 50  # never more than half of it in any window

        # The server now allows 1 per 4 s while the client thinks 20 per 2 s: each plugin process
        # sends its license handshake and its list of tenants back to back, so meets a 429 and
        # waits out its Retry-After.
        server.set_quota(Quota(1, 4))
        project.run("config", "set", "descope:rateLimit", "20/2")
        project.run("config", "set", "descope:rateLimitShare", "100")
        refresh, sent, limited = run_counted(project, server, "refresh", "--yes")
        lines = reports(refresh)
        assert lines and sum(r[0] for r in lines) == sent and sum(r[1] for r in lines) == limited > 0
        assert sum(r[3] for r in lines) >= 1.0

        server.set_quota(None)
        preview, sent, _ = run_counted(project, server, "preview", "--refresh")
        assert sent > 0 and sum(r[0] for r in reports(preview)) == sent

        destroy, sent, _ = run_counted(project, server, "destroy", "--yes")
        assert sent > 0 and sum(r[0] for r in reports(destroy)) == sent
        assert "Diagnostics:" in destroy.output
