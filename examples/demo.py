"""`make demo`: deploy examples/quickstart on the local Descope emulator with local Pulumi state.

Starts `descope-emulator`, creates stack `dev` of the root Pulumi.yaml in a file backend under
.pulumi-state/ (git-ignored) with a passphrase secrets provider, sets the stack config, runs
`pulumi up` (with refresh, so a rerun against a fresh emulator converges), then
`pulumi preview --expect-no-changes`, prints the outputs and the tenants as the emulator holds
them, and stops the emulator. Safe to run again.

The program runs through the Automation API as an inline program: the real Pulumi engine and the
real dynamic-provider plugin, without needing the Python language host (which cannot be built
here). With a full Pulumi CLI the same program deploys with plain `pulumi up`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from pulumi import automation as auto

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".pulumi-state"
STACK = "dev"
# The emulator's defaults; a real project's key is set with `pulumi config set --secret`.
PROJECT_ID = "P2emulator000000000000000000"
MANAGEMENT_KEY = "K2emulator"
# Roles that the quickstart's default_roles refer to (a Role resource is planned; until then they
# are created through the management API, as an existing project would already have them).
ROLES = ("viewer", "admin")


def load_program(path: Path) -> Callable[[], None]:
    spec = importlib.util.spec_from_file_location("descope_example_program", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


@contextmanager
def running_emulator() -> Iterator[str]:
    executable = shutil.which("descope-emulator") or str(Path(sys.executable).parent / "descope-emulator")
    process = subprocess.Popen(
        [executable, "--port", "0", "--project-id", PROJECT_ID, "--management-key", MANAGEMENT_KEY],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"descope-emulator did not start (printed {url!r})")
        print(f"demo: emulator listening on {url}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        print("demo: emulator stopped")


def seed_roles(url: str) -> None:
    headers = {"Authorization": f"Bearer {PROJECT_ID}:{MANAGEMENT_KEY}"}
    for role in ROLES:
        response = requests.post(
            f"{url}/v1/mgmt/role/create",
            json={"name": role, "description": f"{role} (demo)"},
            headers=headers,
            timeout=10,
        )
        if response.status_code >= 400 and "already exists" not in response.text:
            response.raise_for_status()


def main() -> int:
    started = time.monotonic()
    STATE_DIR.mkdir(exist_ok=True)
    # An interrupted earlier demo leaves its lock behind; this state directory belongs to the demo
    # alone, so a lock found here is stale.
    shutil.rmtree(STATE_DIR / ".pulumi" / "locks", ignore_errors=True)
    program = load_program(ROOT / "examples" / "quickstart" / "__main__.py")
    with running_emulator() as url:
        seed_roles(url)
        workspace = auto.LocalWorkspaceOptions(
            work_dir=str(ROOT),  # the root Pulumi.yaml: project descope-quickstart
            env_vars={
                "PULUMI_BACKEND_URL": STATE_DIR.as_uri(),
                # Local demo state only; use a real passphrase or secrets provider for real stacks.
                "PULUMI_CONFIG_PASSPHRASE": os.environ.get("PULUMI_CONFIG_PASSPHRASE", "descope-demo"),
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DESCOPE_PYTHON": sys.executable,
            },
        )
        stack = auto.create_or_select_stack(
            STACK, project_name="descope-quickstart", program=program, opts=workspace
        )
        stack.set_config("descope:projectId", auto.ConfigValue(PROJECT_ID))
        stack.set_config("descope:managementKey", auto.ConfigValue(MANAGEMENT_KEY, secret=True))
        stack.set_config("descope:baseUrl", auto.ConfigValue(url))
        # The quickstart's OIDC client secret, as `pulumi config set --secret oidcClientSecret ...`
        # would store it (encrypted); a placeholder unless DEMO_OIDC_CLIENT_SECRET gives one.
        demo_secret = os.environ.get("DEMO_OIDC_CLIENT_SECRET") or "demo-placeholder-client-secret"
        stack.set_config("oidcClientSecret", auto.ConfigValue(demo_secret, secret=True))
        print("demo: pulumi up (with refresh: the emulator starts empty on every run)")
        up = stack.up(refresh=True, run_program=True, on_output=print, color="never")
        print("demo: pulumi preview --expect-no-changes")
        stack.preview(expect_no_changes=True, on_output=print, color="never")

        print("demo: stack outputs")
        for key, output in sorted(up.outputs.items()):
            # Secret outputs (an access key's cleartext) are never printed.
            print(f"  {key} = {'[secret]' if output.secret else json.dumps(output.value)}")
        tenants = requests.get(
            f"{url}/v1/mgmt/tenant/all",
            headers={"Authorization": f"Bearer {PROJECT_ID}:{MANAGEMENT_KEY}"},
            timeout=10,
        ).json()["tenants"]
        print(f"demo: tenants in the emulator ({len(tenants)})")
        for tenant in sorted(tenants, key=lambda t: t["id"]):
            print(
                f"  {tenant['id']:<30} {tenant['name']:<22} "
                f"domains={tenant.get('selfProvisioningDomains') or []} "
                f"parent={tenant.get('parent') or '-'} roles={tenant.get('defaultRoles') or []} "
                f"attributes={tenant.get('customAttributes') or {}}"
            )
    print(f"demo: done in {time.monotonic() - started:.1f} s; state in {STATE_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
