"""The AccessKey provider's class path is a compatibility contract from its first release: every
AccessKey in a stack carries its pickled provider, loaded again at refresh and destroy time."""

from __future__ import annotations

import base64
import pickletools

import dill
from pulumi_descope_dynamic.access_key import _PROVIDER
from pulumi_descope_dynamic_provider.access_key import AccessKeyProvider

from tests.harness import provider_blob


def test_the_blob_names_the_class_by_path_and_holds_only_the_format_marker() -> None:
    raw = base64.b64decode(provider_blob(_PROVIDER), validate=True)
    strings = [arg for _, arg, _ in pickletools.genops(raw) if isinstance(arg, str)]
    assert strings[:2] == ["pulumi_descope_dynamic_provider.access_key", "AccessKeyProvider"]
    assert set(strings[2:]) <= {"format"}  # no configuration, client, key or cleartext
    assert type(dill.loads(raw)) is AccessKeyProvider
