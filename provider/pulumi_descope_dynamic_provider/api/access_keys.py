"""Access keys: `/v1/mgmt/accesskey/...`, machine credentials whose cleartext Descope returns once.

The cleartext is in the create and rotate answers only; load and search never show it. It is
carried as a pydantic `SecretStr` (never in a repr, a log line or a message) on `AccessKey.cleartext`.

Names are not unique, so a create whose answer was lost cannot be recognised by name alone, and the
key it made cannot be adopted anyway: its cleartext was lost with the answer. `create_access_key`
therefore deletes what such an attempt made before it tries again (see `_discard_unanswered`), and
matches that key as tightly as it can: same name and content, created after the create started
(less a clock-skew margin), and not a key whose answer this process read. Creates of one name are
serialised within the process, so two resources of the same name never mistake each other's keys.

Update is patch-like (a field left out is unchanged) and answers the key as it now is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from pydantic import Field, SecretStr, field_validator

from .endpoints import Endpoint
from .errors import (
    DeadlineExceededError,
    DescopeError,
    InvalidArgumentError,
    MalformedResponseError,
)
from .models import WireModel, integral_floats_as_int, none_to_empty_dict
from .transport import Transport

ACCESS_KEY_CREATE = "/v1/mgmt/accesskey/create"
ACCESS_KEY_LOAD = "/v1/mgmt/accesskey"
ACCESS_KEY_SEARCH = "/v1/mgmt/accesskey/search"
ACCESS_KEY_UPDATE = "/v1/mgmt/accesskey/update"
ACCESS_KEY_ACTIVATE = "/v1/mgmt/accesskey/activate"
ACCESS_KEY_DEACTIVATE = "/v1/mgmt/accesskey/deactivate"
ACCESS_KEY_ROTATE = "/v1/mgmt/accesskey/rotate"
ACCESS_KEY_DELETE = "/v1/mgmt/accesskey/delete"

# No public source names Descope's code for an unknown access key; the emulator's choice.
CODE_ACCESS_KEY_NOT_FOUND = "E113404"
ACCESS_KEY_GONE = frozenset({CODE_ACCESS_KEY_NOT_FOUND})

# How far Descope's clock (createdTime) may be behind this machine's when a lost create's key is
# matched by "created after the create started".
CLOCK_SKEW_MARGIN_SECONDS: Final = 120
# Search-and-delete rounds before a discard whose deletes keep failing gives up.
DISCARD_ROUNDS: Final = 5


def _json_normalised(value: Any) -> Any:
    """Claims and attributes as comparable JSON: the plugin protocol turns 5 into 5.0."""
    if isinstance(value, Mapping):
        return {str(key): _json_normalised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_normalised(item) for item in value]
    return integral_floats_as_int(value)


class KeyTenant(WireModel):
    tenant_id: str
    tenant_name: str = ""  # in answers only
    role_names: list[str] = Field(default_factory=list)


class AccessKeyFields(WireModel):
    """What create and update send and load returns alike."""

    name: str
    description: str = ""
    role_names: list[str] = Field(default_factory=list)
    key_tenants: list[KeyTenant] = Field(default_factory=list)
    custom_claims: dict[str, Any] = Field(default_factory=dict)
    permitted_ips: list[str] = Field(default_factory=list)
    custom_attributes: dict[str, Any] = Field(default_factory=dict)

    @field_validator("custom_claims", "custom_attributes", mode="before")
    @classmethod
    def _maps_may_be_null(cls, value: Any) -> Any:
        return _json_normalised(none_to_empty_dict(value))

    @property
    def tenant_roles(self) -> dict[str, list[str]]:
        """keyTenants as a map: tenant id -> sorted role names."""
        return {
            kt.tenant_id: sorted(kt.role_names) for kt in sorted(self.key_tenants, key=lambda k: k.tenant_id)
        }

    def content(self) -> tuple[Any, ...]:
        """Everything a program sets, in a comparable form (order of sets ignored)."""
        return (
            self.name,
            self.description,
            sorted(self.role_names),
            self.tenant_roles,
            self.custom_claims,
            sorted(self.permitted_ips),
            self.custom_attributes,
        )


class AccessKeyRequest(AccessKeyFields):
    """The create body. `expire_time` is epoch seconds, 0 = never; `user_id` binds the key to a user.
    Neither can change after creation."""

    expire_time: int = 0
    user_id: str = ""

    def to_wire(self) -> dict[str, Any]:
        body = super().to_wire()
        body["keyTenants"] = [
            {"tenantId": kt.tenant_id, "roleNames": kt.role_names} for kt in self.key_tenants
        ]
        return body


class AccessKey(AccessKeyFields):
    """A key as Descope answers it. `cleartext` is set only on the result of create and rotate."""

    id: str
    status: str = "active"  # active | inactive | expired
    created_time: int | None = None
    expire_time: int = 0
    created_by: str = ""
    client_id: str = ""
    bound_user_id: str = ""
    cleartext: SecretStr | None = Field(default=None, exclude=True)

    @field_validator("status", mode="before")
    @classmethod
    def _null_status_is_unknown(cls, value: Any) -> Any:
        return value or ""  # not "active": a key whose status Descope does not say is not claimed active

    @property
    def disabled(self) -> bool:
        return self.status == "inactive"

    def made_by(self, request: AccessKeyRequest, *, not_before: float) -> bool:
        """Whether this key is what `request` creates, made at `not_before` or later."""
        return (
            self.content() == request.content()
            and self.expire_time == request.expire_time
            and self.bound_user_id == request.user_id
            and (self.created_time is None or self.created_time >= not_before)
        )


class KeyAnswer(WireModel):
    key: AccessKey


class KeyWithSecret(WireModel):
    """The answer of create and rotate."""

    cleartext: SecretStr
    key: AccessKey

    def key_with_secret(self) -> AccessKey:
        return self.key.model_copy(update={"cleartext": self.cleartext})


class KeyList(WireModel):
    keys: list[AccessKey] = Field(default_factory=list)


_LOAD = Endpoint("GET", ACCESS_KEY_LOAD, "load access key {id!r}", ACCESS_KEY_GONE, KeyAnswer)
_DELETE: Endpoint[Any] = Endpoint("POST", ACCESS_KEY_DELETE, "delete access key {id!r}", ACCESS_KEY_GONE)


class AccessKeysApi(Transport):
    # Wall-clock time, to compare with Descope's createdTime (tests replace it on the instance).
    wall_clock: Callable[[], float] = staticmethod(time.time)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Ids of keys whose create answer this client read: someone holds their cleartext, so a
        # recovery never discards them. Per client, not per process: ids are only meaningful
        # against one project, and a client is one project (a set's add/in are atomic).
        self._answered_key_ids: set[str] = set()

    def create_access_key(self, request: AccessKeyRequest) -> AccessKey:
        """Create a key and return it with its cleartext. A create whose answer is lost (5xx, reset or
        timeout after the request left, an unreadable answer) is never adopted: the key it may have
        made is deleted first, then a new one is created, all within the call deadline."""
        operation = f"create access key {request.name!r}"
        # Creates of one name wait for each other in this client (every resource in a plugin
        # process shares it): one create's recovery must not take another's committed key, whose
        # answer is still on its way, for an orphan.
        with self.object_lock("access key name", request.name):
            not_before = self.wall_clock() - CLOCK_SKEW_MARGIN_SECONDS

            def send(deadline: float) -> AccessKey:
                # One attempt: _create_discarding_unknown decides whether another may be sent.
                created = self._send_for_secret(operation, ACCESS_KEY_CREATE, request.to_wire(), deadline)
                self._answered_key_ids.add(created.key.id)
                return created.key_with_secret()

            def discard(deadline: float) -> None:
                self._discard_unanswered(operation, request, not_before, deadline)

            return self._create_discarding_unknown(
                operation, f"access key named {request.name!r}", send, discard
            )

    def _discard_unanswered(
        self,
        operation: str,
        request: AccessKeyRequest,
        not_before: float,
        deadline: float,
    ) -> None:
        """Delete the keys unanswered attempts of this create made: nobody holds their cleartext.
        A delete whose own answer is lost or garbled is confirmed by searching again."""
        failure: DescopeError | None = None
        for _ in range(DISCARD_ROUNDS):
            orphans = [
                key
                for key in self.search_access_keys(deadline=deadline)
                if key.id not in self._answered_key_ids and key.made_by(request, not_before=not_before)
            ]
            failure = None
            for key in orphans:
                try:
                    self.delete_access_key(key.id, deadline=deadline)
                except DeadlineExceededError:
                    raise
                except DescopeError as exc:
                    failure = exc
                    continue
                self._emit(
                    operation,
                    "the answer to an earlier attempt was lost with the key's cleartext; deleted the key "
                    f"it created ({key.id}) and creating a new one",
                )
            if failure is None:
                return
        assert failure is not None
        raise failure

    def load_access_key(self, key_id: str, *, deadline: float | None = None) -> AccessKey:
        """One key (without its cleartext); raises NotFoundError when it does not exist."""
        return self._request(_LOAD, {"id": key_id}, deadline=deadline).key

    def search_access_keys(
        self, tenant_ids: list[str] | None = None, *, deadline: float | None = None
    ) -> list[AccessKey]:
        """Keys of the given tenants, or every key of the project (one request) without a filter."""
        body: dict[str, Any] = {"tenantIds": list(tenant_ids)} if tenant_ids else {}
        found: KeyList = self._call(
            "search access keys",
            "POST",
            ACCESS_KEY_SEARCH,
            body=body,
            parse=KeyList,
            read_only=True,
            deadline=deadline,
        )
        return found.keys

    def update_access_key(self, key_id: str, name: str, changes: Mapping[str, Any]) -> AccessKey:
        """Change only the given fields (snake_case names of AccessKeyFields; `key_tenants` as a list
        of {tenant_id, role_names}); Descope requires the name on every update. Returns the key."""
        if not key_id:
            raise InvalidArgumentError("update_access_key needs the key's id")
        unknown = set(changes) - set(AccessKeyFields.model_fields)
        if unknown:
            raise InvalidArgumentError(f"update_access_key cannot change {sorted(unknown)}")
        wire = AccessKeyRequest.model_validate({**changes, "name": name}).to_wire()
        aliases = [AccessKeyFields.model_fields[field].alias or field for field in changes]
        body = {"id": key_id, "name": name, **{alias: wire[alias] for alias in aliases if alias != "name"}}
        answer: KeyAnswer = self._call(
            f"update access key {key_id!r} ({name})",
            "POST",
            ACCESS_KEY_UPDATE,
            body=body,
            gone=ACCESS_KEY_GONE,
            parse=KeyAnswer,
            read_only=True,  # repeatable: an update whose answer was unreadable is sent again
        )
        return answer.key

    def set_access_key_active(self, key_id: str, active: bool) -> None:
        path = ACCESS_KEY_ACTIVATE if active else ACCESS_KEY_DEACTIVATE
        verb = "activate" if active else "deactivate"
        self._call(f"{verb} access key {key_id!r}", "POST", path, body={"id": key_id}, gone=ACCESS_KEY_GONE)

    def rotate_access_key(self, key_id: str) -> AccessKey:
        """Give the key a new cleartext (returned on the key); the old one stops working at once.
        An attempt whose answer was lost or unreadable is simply repeated: the next rotation revokes
        the secret that answer carried, and the last answer read holds the key's one working
        cleartext."""
        operation = f"rotate access key {key_id!r}"
        deadline = self._deadline()

        def attempt() -> AccessKey:
            return self._send_for_secret(
                operation, ACCESS_KEY_ROTATE, {"id": key_id}, deadline
            ).key_with_secret()

        return self._retrying(operation, deadline, attempt)

    def _send_for_secret(
        self, operation: str, path: str, body: Mapping[str, Any], deadline: float
    ) -> KeyWithSecret:
        """One attempt of a call whose answer carries a cleartext. An unreadable answer is reported
        without quoting it (the transport quotes part of a body it cannot parse, which here would
        be the cleartext) and marked retryable: the caller makes repeating safe."""
        try:
            data = self._send(operation, "POST", path, deadline, body=body, gone=ACCESS_KEY_GONE)
            return self._parse(operation, KeyWithSecret, data)
        except MalformedResponseError as exc:
            unquoted = MalformedResponseError(
                "Descope's answer could not be read (not quoted: it may hold the key's cleartext)",
                status=exc.status,
                operation=operation,
            )
            unquoted.retryable = True
            raise unquoted from None

    def delete_access_key(self, key_id: str, *, deadline: float | None = None) -> bool:
        """Delete one key. Returns False when it was already gone."""
        if not key_id:
            raise InvalidArgumentError("delete_access_key needs the key's id")
        return self._removed(_DELETE, {"id": key_id}, deadline=deadline)


__all__ = [
    "ACCESS_KEY_GONE",
    "AccessKey",
    "AccessKeyFields",
    "AccessKeyRequest",
    "AccessKeysApi",
    "KeyTenant",
]
