"""The TenantPasswordPolicy provider's class path and pickled state are a compatibility contract from
its first release: the fixture is the blob that release writes into every TenantPasswordPolicy in
users' stacks (pulumi.dynamic's serialize_provider on
`pulumi_descope_dynamic.tenant_password_policy._PROVIDER`), committed once and never regenerated."""

from __future__ import annotations

import base64
import pickletools
from pathlib import Path

import dill
from pulumi_descope_dynamic_provider.tenant_password_policy import TenantPasswordPolicyProvider

FIXTURE = Path(__file__).parent / "fixtures" / "tenant_password_policy_provider_blob_first.txt"
CLASS_PATH = ["pulumi_descope_dynamic_provider.tenant_password_policy", "TenantPasswordPolicyProvider"]


def test_the_first_blob_unpickles_to_a_fresh_tenant_password_policy_provider() -> None:
    raw = base64.b64decode(FIXTURE.read_text(encoding="ascii").strip(), validate=True)
    strings = [arg for _, arg, _ in pickletools.genops(raw) if isinstance(arg, str)]
    assert strings == [*CLASS_PATH, "format"]  # by reference, a format marker, nothing else
    provider = dill.loads(raw)
    assert type(provider) is TenantPasswordPolicyProvider
    assert provider._shared is None and provider._config == {}
    assert provider.check({}, {"tenant_id": "acme", "min_length": 12}).failures == []
