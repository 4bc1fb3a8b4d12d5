"""Read-overlay-write of a tenant's full-replace body, under the tenant's lock: the one way this client
changes a few keys of a body Descope only takes whole (a tenant's settings, its password policy).

Read the live body, overlay only the keys the caller changes (and drop the keys it clears), compare
what the body means before and after, and write it back only when that differs, all while holding
`Transport.object_lock("tenant", id)`, which every tenant write of this client holds too. Keys this
client does not know stay in the body as read, so a write never clears a field newer than this code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .endpoints import Endpoint
from .tenants import TENANT_GONE
from .transport import Transport

Loaded = TypeVar("Loaded", bound=BaseModel)


def full_replace(path: str, what: str) -> Endpoint[Any]:
    """The write of a tenant's full-replace body: the whole body, with its `tenantId`, POSTed to
    `path`. Repeating it with the same body lands the same state, so a lost answer is simply retried."""
    return Endpoint("POST", path, f"update {what} of tenant {{tenantId!r}}", TENANT_GONE)


@dataclass(frozen=True)
class Overlaid(Generic[Loaded]):
    """What one overlay read and wrote."""

    before: Loaded
    """The body as loaded."""
    after: Loaded
    """The body written (or that would have been: it already meant the same)."""
    requests: int
    wrote: bool


def overlay_tenant_body(
    transport: Transport,
    tenant_id: str,
    *,
    read: Callable[[], tuple[Loaded, dict[str, Any], int]],
    meaning: Callable[[Mapping[str, Any]], Any],
    write: Endpoint[Any],
    model: type[Loaded],
    changes: Mapping[str, Any],
    clear: Iterable[str] = (),
) -> Overlaid[Loaded]:
    """`read()` gives (the loaded object, its body as it can be written back, requests spent);
    `meaning(body)` what Descope understands by a body (so two spellings of one policy compare
    equal); `write` is the endpoint of the full replace (see `full_replace`), and `model` what the body
    written reads as. The body written carries `tenantId`."""
    with transport.object_lock("tenant", tenant_id):
        before, body, requests = read()
        unchanged = meaning(body)
        for key in clear:
            body.pop(key, None)
        body.update(changes)
        body["tenantId"] = tenant_id
        if meaning(body) == unchanged:
            # Already so (e.g. a `pulumi up` of what `pulumi-descope export` read): no write, so
            # configuring what is already in place costs no write, like an adopt.
            return Overlaid(before, model.model_validate(body), requests, wrote=False)
        transport._request(write, body)
        return Overlaid(before, model.model_validate(body), requests + 1, wrote=True)
