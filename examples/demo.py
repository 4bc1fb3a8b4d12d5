"""`make demo`: deploy examples/quickstart on the local Descope emulator, typing what a user types.

Starts `descope-emulator`, then runs in the repository root (the root Pulumi.yaml deploys
examples/quickstart) the commands of a first deployment, printing each before it runs:
`pulumi stack init dev`, `pulumi config set` for the emulator's URL, project id and key,
`pulumi up --yes`, `pulumi preview --expect-no-changes` and `pulumi stack output`. State goes to a
file backend under .pulumi-state/ (git-ignored) with a passphrase secrets provider. Lists the
tenants as the emulator holds them, and stops the emulator.
Safe to run again: each run's emulator starts empty, so a rerun first removes the earlier run's
stack (`pulumi stack rm dev --force --yes`, which forgets its state without touching Descope).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".pulumi-state"
STACK = "dev"
# The emulator's defaults; a real project's key is set with `pulumi config set --secret`.
PROJECT_ID = "P2emulator000000000000000000"
MANAGEMENT_KEY = "K2emulator"
TEST_LANGUAGE_HOST = ROOT / "tests" / "support" / "language_host"


def say(message: str) -> None:
    print(f"\ndemo: {message}", flush=True)


def shell(*args: str, env: dict[str, str], comment: str = "") -> None:
    """Print a command as a user would type it, then run it in the repository root."""
    line = "$ " + shlex.join(args)
    print(f"\n{line}  # {comment}" if comment else f"\n{line}", flush=True)
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def stack_exists(env: dict[str, str]) -> bool:
    listed = subprocess.run(
        ["pulumi", "stack", "ls", "--json"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return f'"name": "{STACK}"' in listed.stdout


@contextmanager
def running_emulator() -> Iterator[str]:
    executable = shutil.which("descope-emulator") or str(Path(sys.executable).parent / "descope-emulator")
    process = subprocess.Popen(
        [executable, "--port", "0", "--project-id", PROJECT_ID, "--management-key", MANAGEMENT_KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"descope-emulator did not start (printed {url!r})")
        say(f"descope-emulator (a local Descope Management API) listening on {url}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        say("emulator stopped")


def demo_env() -> dict[str, str]:
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": STATE_DIR.as_uri(),
        # Local demo state only; use a real passphrase or secrets provider for real stacks.
        "PULUMI_CONFIG_PASSPHRASE": os.environ.get("PULUMI_CONFIG_PASSPHRASE", "descope-demo"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        # Read only by the test-only language host's launcher (a CLI built from source has no host).
        "PULUMI_TEST_LANGUAGE_HOST": str(TEST_LANGUAGE_HOST / "host.py"),
        "PULUMI_TEST_LANGUAGE_HOST_PYTHON": sys.executable,
    }
    for name in ("DESCOPE_PROJECT_ID", "DESCOPE_MANAGEMENT_KEY", "DESCOPE_BASE_URL", "DESCOPE_BASE_URI"):
        env.pop(name, None)  # the stack config below is the one source of the demo's settings
    return env


def main() -> int:
    started = time.monotonic()
    if not shutil.which("pulumi"):
        print("demo: `pulumi` is not on PATH; run `make demo`, which obtains it", file=sys.stderr)
        return 1
    STATE_DIR.mkdir(exist_ok=True)
    # An interrupted earlier demo leaves its lock behind; this state directory belongs to the demo
    # alone, so a lock found here is stale.
    shutil.rmtree(STATE_DIR / ".pulumi" / "locks", ignore_errors=True)
    env = demo_env()
    host = shutil.which("pulumi-language-python", path=env["PATH"])
    if host and "test language host" in Path(host).read_text(errors="replace"):
        say("this CLI was built from source without a Python language host: the test-only one in")
        print("      tests/support/language_host stands in (the CLI you install ships the real one)")
    headers = {"Authorization": f"Bearer {PROJECT_ID}:{MANAGEMENT_KEY}"}
    with running_emulator() as url:
        print(f"\n$ export PULUMI_BACKEND_URL={STATE_DIR.as_uri()}  # local state (or: pulumi login --local)")
        print("$ export PULUMI_CONFIG_PASSPHRASE=...  # protects the stack's secrets")
        if stack_exists(env):
            shell(
                "pulumi", "stack", "rm", STACK, "--force", "--yes", env=env,
                comment="an earlier demo's stack: its emulator and tenants are gone, so start afresh",
            )  # fmt: skip
        shell("pulumi", "stack", "init", STACK, env=env)
        shell("pulumi", "config", "set", "descope:baseUrl", url, env=env, comment="the emulator")
        shell("pulumi", "config", "set", "descope:projectId", PROJECT_ID, env=env)
        shell("pulumi", "config", "set", "--secret", "descope:managementKey", MANAGEMENT_KEY, env=env)
        # The quickstart's OIDC client secret: a placeholder unless DEMO_OIDC_CLIENT_SECRET gives one.
        demo_secret = os.environ.get("DEMO_OIDC_CLIENT_SECRET") or "demo-placeholder-client-secret"
        shell(
            "pulumi", "config", "set", "--secret", "oidcClientSecret", demo_secret, env=env,
            comment="the IdP's client secret, stored encrypted",
        )  # fmt: skip
        shell("pulumi", "up", "--yes", env=env)
        shell("pulumi", "preview", "--expect-no-changes", env=env, comment="the program and Descope agree")
        shell("pulumi", "stack", "output", env=env)

        tenants = requests.get(f"{url}/v1/mgmt/tenant/all", headers=headers, timeout=10).json()["tenants"]
        say(f"tenants in the emulator ({len(tenants)})")
        for tenant in sorted(tenants, key=lambda t: t["id"]):
            print(
                f"  {tenant['id']:<30} {tenant['name']:<22} "
                f"domains={tenant.get('selfProvisioningDomains') or []} "
                f"parent={tenant.get('parent') or '-'} roles={tenant.get('defaultRoles') or []} "
                f"attributes={tenant.get('customAttributes') or {}}"
            )
    say(f"done in {time.monotonic() - started:.1f} s; state in {STATE_DIR}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as exc:
        print(f"\ndemo: `{shlex.join(exc.cmd)}` failed with exit code {exc.returncode}", file=sys.stderr)
        sys.exit(1)
