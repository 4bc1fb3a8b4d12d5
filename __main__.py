"""The program of the root Pulumi.yaml: `pulumi up` here deploys examples/quickstart/__main__.py.

It lives beside Pulumi.yaml (no `main:` there) so that the language host, which resolves the
`virtualenv` option against the Pulumi.yaml directory, and the dynamic-provider plugin, which
resolves it against the program directory, agree on `.venv`.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).parent / "examples" / "quickstart" / "__main__.py"), run_name="__main__")
