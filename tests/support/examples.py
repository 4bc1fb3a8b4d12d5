"""Load an example's `program()` without running it, as the e2e and set_mocks tests need."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_example_program(relative: str) -> Callable[[], None]:
    """`relative` is the example's __main__.py from the repository root."""
    path = REPO_ROOT / relative
    # Examples import their sibling modules (e.g. a shared helper module), as `pulumi up` would let them.
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"example_{path.parent.name.replace('-', '_')}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program
