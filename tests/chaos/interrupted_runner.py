"""Child process of test_interrupted_apply: runs `pulumi up` of N tenants until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.chaos.test_chaos_apply import desired_tenants, program_for
from tests.support.engine import new_stack


def main() -> None:
    root, url, project_id, key, count = sys.argv[1:6]
    stack = new_stack(
        program_for(desired_tenants(int(count))),
        Path(root),
        base_url=url,
        project_id=project_id,
        management_key=key,
        extra_config={"descope:rateLimit": "off"},
    )
    stack.up()


if __name__ == "__main__":
    main()
