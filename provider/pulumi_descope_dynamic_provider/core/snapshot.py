"""One load-all snapshot of the project's tenants, shared by the reads of one `pulumi refresh`.

The engine reads every tenant of a stack, four at a time; one GET per tenant would spend the
project's rate budget on a refresh. Instead the first read loads all tenants once and the others
are served from that snapshot while it is younger than `max_age_seconds`. Any write through the
provider invalidates it, so a read never returns what this process has since changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..api.models import Tenant

DEFAULT_MAX_AGE_SECONDS = 30.0


class TenantSnapshot:
    def __init__(
        self,
        load_all: Callable[[], list[Tenant]],
        *,
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load_all = load_all
        self._max_age = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._tenants: dict[str, Tenant] | None = None
        self._taken_at = 0.0

    def get(self, tenant_id: str) -> Tenant | None:
        """The tenant as of the snapshot (taken now if none is fresh), or None if it was absent."""
        # The lock is held while loading so that concurrent reads wait for one load-all rather
        # than each starting their own.
        with self._lock:
            if self._tenants is None or self._clock() - self._taken_at > self._max_age:
                self._tenants = {tenant.id: tenant for tenant in self._load_all()}
                self._taken_at = self._clock()
            return self._tenants.get(tenant_id)

    def invalidate(self) -> None:
        with self._lock:
            self._tenants = None
