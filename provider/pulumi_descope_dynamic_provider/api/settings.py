"""Connection settings for the Descope management client, from explicit values or the environment."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.descope.com"
# Descope's documented limit for raw management traffic; a setting (descope:rateLimit), not a
# constant, because plan tiers differ. `off` leaves only Descope's 429s to pace us.
DEFAULT_RATE_LIMIT = "100/60"
DEFAULT_CALL_DEADLINE_SECONDS = 300.0
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0
DEFAULT_READ_TIMEOUT_SECONDS = 60.0  # what the official SDKs use per request

ENV_PROJECT_ID = "DESCOPE_PROJECT_ID"
ENV_MANAGEMENT_KEY = "DESCOPE_MANAGEMENT_KEY"
ENV_BASE_URL = "DESCOPE_BASE_URL"
ENV_BASE_URL_SDK = "DESCOPE_BASE_URI"  # the official Python SDK's spelling; honoured too
ENV_RATE_LIMIT = "DESCOPE_RATE_LIMIT"
ENV_CALL_DEADLINE = "DESCOPE_CALL_DEADLINE"
ENV_RATE_LIMIT_STORE = "DESCOPE_RATE_LIMIT_STORE"
ENV_RATE_LIMIT_SHARE = "DESCOPE_RATE_LIMIT_SHARE"
RATE_LIMIT_SHARE_SETTING = f"descope:rateLimitShare ({ENV_RATE_LIMIT_SHARE})"

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the setting and how to fix it."""


@dataclass(frozen=True)
class RateBudget:
    """A client-side request budget: at most `requests` per `seconds`."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str, *, setting: str = "descope:rateLimit") -> RateBudget | None:
        """Parse `100/60` (requests/seconds); `off`, `none` or `0` disable the budget."""
        if text.strip().lower() in {"off", "none", "0", ""}:
            return None
        match = _RATE_RE.match(text)
        if not match or int(match.group(1)) <= 0 or float(match.group(2)) <= 0:
            raise SettingsError(
                f"{setting} must look like REQUESTS/SECONDS, e.g. '100/60', or 'off'; got {text!r}"
            )
        return cls(int(match.group(1)), float(match.group(2)))

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}"

    def share(self, percent: float) -> RateBudget:
        """`percent` of this budget (at least one request per window): what is left for us when
        the rest of the quota is kept for other traffic of the same project."""
        return RateBudget(max(1, int(self.requests * percent / 100)), self.seconds)


def parse_share(text: str, *, setting: str = RATE_LIMIT_SHARE_SETTING) -> float:
    """A percentage in (0, 100]: `50`, `50%` or `12.5`; empty means 100."""
    raw = text.strip().removesuffix("%").strip()
    if not raw:
        return 100.0
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100:
        raise SettingsError(
            f"{setting} must be a percentage of Descope's quota above 0 and at most 100, e.g. 50 to "
            f"leave half of it to your product's own management calls; got {text!r}"
        )
    return value


DEFAULT_RATE_BUDGET = RateBudget.parse(DEFAULT_RATE_LIMIT)

RATE_LIMIT_STORE_SETTING = f"descope:rateLimitStore ({ENV_RATE_LIMIT_STORE})"
StoreKind = Literal["memory", "sqlite", "redis"]


def default_sqlite_path(env: Mapping[str, str] | None = None) -> str:
    """The SQLite store's file when `sqlite` names no path: under the user's cache dir (XDG), so every
    stack and process of this user on this machine finds the same file."""
    env = os.environ if env is None else env
    cache = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return str(Path(cache) / "pulumi-descope-dynamic" / "ratelimit.sqlite")


@dataclass(frozen=True)
class RateLimitStore:
    """Where the rate budget (and the pause a 429 imposes) lives: `memory` (this process only),
    a SQLite file (every process on this machine) or a Redis server (every machine that uses it).

    `location` is the SQLite file's absolute path or the Redis URL. A Redis URL may carry a
    password, so `__str__`/`__repr__` show it redacted; only the connection code reads `location`.
    """

    kind: StoreKind = "memory"
    location: str = ""

    @classmethod
    def parse(
        cls, text: str, *, env: Mapping[str, str] | None = None, setting: str = RATE_LIMIT_STORE_SETTING
    ) -> RateLimitStore:
        """`memory` (default), `sqlite` (the default file), `sqlite:///ABSOLUTE/PATH` or
        `redis://[:PASSWORD@]HOST[:PORT][/DB]` (`rediss://` for TLS)."""
        raw = text.strip()
        lowered = raw.lower()
        if lowered in {"", "memory"}:
            return cls()
        if lowered == "sqlite":
            return cls("sqlite", default_sqlite_path(env))
        if lowered.startswith("sqlite://"):
            path = raw[len("sqlite://") :]
            if not path.startswith("/") or path.rstrip("/") == "":
                raise SettingsError(
                    f"{setting} needs an absolute file path, as in sqlite:///home/me/ratelimit.sqlite "
                    f"(three slashes, then the path), or just `sqlite` for {default_sqlite_path(env)}; "
                    f"got {raw!r}"
                )
            return cls("sqlite", os.path.normpath(path))
        if lowered.startswith(("redis://", "rediss://")):
            try:
                parts = urlsplit(raw)
                parts.port  # noqa: B018 - raises ValueError on a malformed port
            except ValueError:
                parts = None
            db = parts.path.strip("/") if parts else ""
            if parts is None or not parts.hostname or (db and not db.isdigit()) or parts.query:
                raise SettingsError(
                    f"{setting} must look like redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0; "
                    f"got {_redacted_url(raw)!r}"
                )
            return cls("redis", raw)
        raise SettingsError(
            f"{setting} must be `memory` (this process only, the default), `sqlite` or "
            "sqlite:///ABSOLUTE/PATH (every process on this machine), or redis://HOST:PORT/DB (every "
            f"machine using that Redis); got {raw!r}"
        )

    @property
    def shared(self) -> bool:
        return self.kind != "memory"

    def __str__(self) -> str:
        if self.kind == "memory":
            return "memory"
        if self.kind == "sqlite":
            return f"sqlite://{self.location}"
        return _redacted_url(self.location)

    def __repr__(self) -> str:
        return f"RateLimitStore({self})"


MEMORY_STORE = RateLimitStore()


def _redacted_url(url: str) -> str:
    """The URL with any password replaced, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return "<unparseable URL>"
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{user}:[REDACTED]@{host}").geturl()


def base_url_for_project(project_id: str) -> str:
    """Descope's regional host: ids of 32+ characters carry the region in characters 2-5."""
    if len(project_id) >= 32:
        return f"https://api.{project_id[1:5].lower()}.descope.com"
    return DEFAULT_BASE_URL


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str:
    """Return the URL without a trailing slash; refuse plain http except to loopback, because the
    management key travels in every request's Authorization header."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SettingsError(
            f"descope:baseUrl must be an absolute http(s) URL such as https://api.descope.com; got {url!r}"
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise SettingsError(
            f"descope:baseUrl {url!r} uses plain http to a non-loopback host, which would send the "
            "management key in clear text; use https (plain http is allowed only for 127.0.0.1/localhost)"
        )
    if parts.query or parts.fragment:
        raise SettingsError(f"descope:baseUrl must not carry a query or fragment; got {url!r}")
    return url.rstrip("/")


@dataclass(frozen=True)
class ClientSettings:
    """Everything a DescopeClient needs. `management_key` is excluded from repr so that settings
    can be logged or shown in a traceback without leaking it."""

    project_id: str
    management_key: str = field(repr=False)
    base_url: str = ""
    rate_limit: RateBudget | None = DEFAULT_RATE_BUDGET
    rate_limit_store: RateLimitStore = MEMORY_STORE
    # The percentage of each quota this client may use (descope:rateLimitShare); the rest is left
    # to other users of the same project, e.g. the product's own management calls.
    rate_limit_share: float = 100.0
    call_deadline_seconds: float = DEFAULT_CALL_DEADLINE_SECONDS
    connect_timeout_seconds: float = DEFAULT_CONNECT_TIMEOUT_SECONDS
    read_timeout_seconds: float = DEFAULT_READ_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if not self.project_id:
            raise SettingsError(
                "the Descope project id is missing: set it with `pulumi config set descope:projectId <id>` "
                f"or the {ENV_PROJECT_ID} environment variable"
            )
        if not self.management_key:
            raise SettingsError(
                "the Descope management key is missing: set it with "
                "`pulumi config set --secret descope:managementKey <key>` "
                f"or the {ENV_MANAGEMENT_KEY} environment variable"
            )
        url = self.base_url or base_url_for_project(self.project_id)
        object.__setattr__(self, "base_url", validate_base_url(url))
        if self.call_deadline_seconds <= 0:
            raise SettingsError("the call deadline must be a positive number of seconds")
        if not 0 < self.rate_limit_share <= 100:
            raise SettingsError(f"{RATE_LIMIT_SHARE_SETTING} must be above 0 and at most 100")

    @classmethod
    def resolve(
        cls,
        config: Mapping[str, str | None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ClientSettings:
        """Stack config (`descope:*` keys) first, then the environment, then defaults."""
        config = config or {}
        env = os.environ if env is None else env

        def pick(key: str, *env_names: str) -> str:
            value = config.get(f"descope:{key}")
            if value:
                return value
            for name in env_names:
                if env.get(name):
                    return env[name]
            return ""

        rate_text = pick("rateLimit", ENV_RATE_LIMIT) or DEFAULT_RATE_LIMIT
        deadline_text = pick("callDeadline", ENV_CALL_DEADLINE)
        try:
            deadline = float(deadline_text) if deadline_text else DEFAULT_CALL_DEADLINE_SECONDS
        except ValueError:
            raise SettingsError(
                f"descope:callDeadline must be a number of seconds, e.g. 300; got {deadline_text!r}"
            ) from None
        return cls(
            project_id=pick("projectId", ENV_PROJECT_ID),
            management_key=pick("managementKey", ENV_MANAGEMENT_KEY),
            base_url=pick("baseUrl", ENV_BASE_URL, ENV_BASE_URL_SDK),
            rate_limit=RateBudget.parse(rate_text),
            rate_limit_store=RateLimitStore.parse(pick("rateLimitStore", ENV_RATE_LIMIT_STORE), env=env),
            rate_limit_share=parse_share(pick("rateLimitShare", ENV_RATE_LIMIT_SHARE)),
            call_deadline_seconds=deadline,
        )
