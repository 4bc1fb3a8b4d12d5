"""Access keys: machine credentials whose cleartext is returned once.

Served as the official Python, Node and Go SDKs call it:
- ``POST /v1/mgmt/accesskey/create {name, expireTime, roleNames, keyTenants, userId, customClaims,
  description, permittedIps, customAttributes}`` -> ``{"cleartext", "key"}``
- ``GET /v1/mgmt/accesskey?id=`` -> ``{"key"}``
- ``POST /v1/mgmt/accesskey/search {tenantIds, boundUserId, creatingUser, customAttributes}`` -> ``{"keys"}``
- ``POST /v1/mgmt/accesskey/update {id, name, description?, roleNames?, keyTenants?, customClaims?,
  permittedIps?, customAttributes?}`` -> ``{"key"}``
- ``POST /v1/mgmt/accesskey/activate|deactivate|delete {id}`` -> ``{}``; the ``/batch`` variants take
  ``{ids}``
- ``POST /v1/mgmt/accesskey/rotate {id}`` -> ``{"cleartext", "key"}``

A key on the wire (Go ``AccessKeyResponse``): ``{"id", "name", "roleNames", "keyTenants": [{"tenantId",
"tenantName", "roleNames"}], "status", "createdTime", "expireTime", "createdBy", "clientId", "boundUserId",
"customClaims", "description", "permittedIps", "customAttributes"}``.

Choices where Descope's behaviour is not public (each documented, each tested):
- The store keeps only the SHA-256 of a cleartext: no answer but create and rotate can contain it, and
  rotate replaces it at once (``verify`` stops matching the old one).
- ``status`` is ``active`` or ``inactive``, and ``expired`` once ``expireTime`` (epoch seconds, 0 =
  never) has passed on the project's wall clock, whatever the stored flag. Activating an expired key is
  allowed and changes only the stored flag. A create whose ``expireTime`` is not in the future is ``E011004``.
- ``roleNames`` and ``keyTenants`` exclude each other (both non-empty, after an update is applied, is
  ``E011004``; an empty list counts as absent, as the Go SDK sends ``[]``). Project role names must name
  project roles; tenant role names a project role or a role of that tenant; each tenant must exist
  (``E112202``). ``tenantName`` is looked up at answer time. Deleting a tenant drops it from every key.
- An update is patch-like: ``id`` and ``name`` are required, any other field left out is unchanged;
  ``expireTime`` and ``userId`` cannot change (ignored). Names need not be unique.
- An unknown key is ``E113404`` ("Access key not found"): 404 on load, 400 on writes (like tenants).
- ``createdBy`` is empty for keys created through the management API (no user made them);
  ``creatingUser`` filters on it. ``clientId`` is generated (``C`` + 27 characters), ids are ``K`` + 27.
- ``permittedIps`` entries must be IP addresses or CIDR ranges.
- Keys of a create or update body the emulator does not model are kept and answered back; an update
  replaces those it sends and keeps the others.
"""

from __future__ import annotations

import copy
import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from descope_emulator import errors
from descope_emulator.fields import Fields, attributes_match, custom_attributes, secret_hash
from descope_emulator.project import Project
from descope_emulator.routing import route

# Our choice: no public source names Descope's code for an unknown access key.
ACCESS_KEY_NOT_FOUND: Final = "E113404"
_KEY_ID_RANDOM_CHARS: Final = 27
_CLIENT_ID_RANDOM_CHARS: Final = 27
# The keys of a key's write bodies (create, update, seed) and answers; any other key of a create or
# update is kept in ``extra`` (an update, patch-like, replaces only the ones it sends) and answered back.
KEY_FIELDS: Final = (
    "id",
    "name",
    "expireTime",
    "roleNames",
    "keyTenants",
    "userId",
    "customClaims",
    "description",
    "permittedIps",
    "customAttributes",
    "status",
    "createdTime",
    "createdBy",
    "clientId",
    "boundUserId",
    "active",
    "cleartext",
    "secretSha256",
)


def access_key_not_found(key_id: str, *, status: int) -> errors.DescopeError:
    return errors.DescopeError(
        status, ACCESS_KEY_NOT_FOUND, "Access key not found", f"Access key '{key_id}' not found"
    )


@dataclass
class AccessKey:
    id: str
    name: str
    created_time: int
    client_id: str
    secret_hash: str
    expire_time: int = 0
    active: bool = True
    role_names: list[str] = field(default_factory=list)
    key_tenants: list[dict[str, Any]] = field(default_factory=list)  # [{"tenantId", "roleNames"}]
    bound_user_id: str = ""
    created_by: str = ""
    custom_claims: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    permitted_ips: list[str] = field(default_factory=list)
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def status(self, now: int) -> str:
        if self.expire_time and now >= self.expire_time:
            return "expired"
        return "active" if self.active else "inactive"


def _permitted_ips(fields: Fields) -> list[str]:
    ips = fields.string_list("permittedIps")
    for ip in ips:
        try:
            ipaddress.ip_network(ip, strict=False)
        except ValueError as exc:
            raise errors.invalid_argument(
                f"'permittedIps' entry '{ip}' is not an IP address or CIDR range"
            ) from exc
    return ips


class AccessKeys:
    """The access keys of one project. A removed tenant is dropped from every key."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._keys: dict[str, AccessKey] = project.table()
        project.tenant_removed.subscribe(self._tenant_removed)

    # ----- project hooks ------------------------------------------------------------------------

    def _tenant_removed(self, tenant_id: str) -> None:
        for key in self._keys.values():
            key.key_tenants = [kt for kt in key.key_tenants if kt["tenantId"] != tenant_id]

    def dump(self) -> list[dict[str, Any]]:
        """Keys as loaded, plus ``secretSha256`` and ``active``; ``seed`` accepts them back."""
        now = self._project.now()
        return [
            {**self._to_wire(key, now), "secretSha256": key.secret_hash, "active": key.active}
            for key in self._keys.values()
        ]

    def seed(self, entries: list[dict[str, Any]]) -> None:
        """Seeds keys: a create body plus optional ``id``, ``clientId``, ``createdTime``, ``createdBy``,
        ``boundUserId``, ``active`` (or ``status: inactive``) and the secret as ``cleartext`` (plain,
        hashed here) or ``secretSha256``. Past ``expireTime`` values are allowed (expired keys)."""
        for entry in entries:
            fields = Fields(entry)
            with self._project.lock:
                key = self._build(entry, allow_past_expiry=True)
                key.id = fields.string("id") or key.id
                if key.id in self._keys:
                    raise errors.already_exists(f"Access key '{key.id}' already exists")
                key.client_id = fields.string("clientId") or key.client_id
                key.created_time = fields.integer("createdTime", key.created_time)
                key.created_by = fields.string("createdBy")
                key.bound_user_id = fields.string("boundUserId") or key.bound_user_id
                key.active = fields.boolean("active", fields.string("status") != "inactive")
                cleartext = fields.string("cleartext")
                key.secret_hash = secret_hash(cleartext) if cleartext else fields.string("secretSha256")
                self._keys[key.id] = key

    # ----- API ----------------------------------------------------------------------------------

    @route("POST", "/v1/mgmt/accesskey/create")
    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._project.lock:
            key = self._build(body, allow_past_expiry=False)
            cleartext = self._new_cleartext()
            key.secret_hash = secret_hash(cleartext)
            self._keys[key.id] = key
            return {"cleartext": cleartext, "key": self._to_wire(key, self._project.now())}

    @route("GET", "/v1/mgmt/accesskey", "id")
    def load_key(self, key_id: str) -> dict[str, Any]:
        if not key_id:
            raise errors.missing_argument("id")
        with self._project.lock:
            return {"key": self._to_wire(self._require(key_id, status=404), self._project.now())}

    @route("POST", "/v1/mgmt/accesskey/search")
    def search(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """AND across the filters given; ``tenantIds`` matches keys with any of those tenants;
        ``customAttributes`` matches like the tenant search (a list matches any of its items)."""
        fields = Fields(body)
        tenant_ids = set(fields.string_list("tenantIds"))
        bound_user = fields.string("boundUserId")
        creating_user = fields.string("creatingUser")
        attributes = fields.mapping("customAttributes")

        def matches(key: AccessKey) -> bool:
            if tenant_ids and not tenant_ids & {kt["tenantId"] for kt in key.key_tenants}:
                return False
            if bound_user and key.bound_user_id != bound_user:
                return False
            if creating_user and key.created_by != creating_user:
                return False
            return attributes_match(key.custom_attributes, attributes)

        with self._project.lock:
            now = self._project.now()
            return {"keys": [self._to_wire(key, now) for key in self._keys.values() if matches(key)]}

    @route("POST", "/v1/mgmt/accesskey/update")
    def update(self, body: Mapping[str, Any]) -> dict[str, Any]:
        fields = Fields(body)
        key_id = fields.required_string("id")
        name = fields.required_string("name")
        changes: dict[str, Any] = {
            "name": name,
            "description": fields.optional("description", fields.string),
            "custom_claims": fields.optional("customClaims", fields.mapping),
            "permitted_ips": _permitted_ips(fields) if fields.present("permittedIps") else None,
            "custom_attributes": custom_attributes(fields) if fields.present("customAttributes") else None,
        }
        with self._project.lock:
            key = self._require(key_id, status=400)
            role_names = self._project_roles(fields) if fields.present("roleNames") else list(key.role_names)
            key_tenants = self._tenant_roles(body) if fields.present("keyTenants") else key.key_tenants
            _check_exclusive(role_names, key_tenants)
            for attribute, value in changes.items():
                if value is not None:
                    setattr(key, attribute, value)
            key.role_names, key.key_tenants = role_names, copy.deepcopy(key_tenants)
            key.extra = {**key.extra, **fields.unknown(KEY_FIELDS)}
            return {"key": self._to_wire(key, self._project.now())}

    @route("POST", "/v1/mgmt/accesskey/activate", active=True)
    @route("POST", "/v1/mgmt/accesskey/deactivate", active=False)
    def set_active(self, body: Mapping[str, Any], *, active: bool) -> dict[str, Any]:
        key_id = Fields(body).required_string("id")
        with self._project.lock:
            self._require(key_id, status=400).active = active
        return {}

    @route("POST", "/v1/mgmt/accesskey/activate/batch", active=True)
    @route("POST", "/v1/mgmt/accesskey/deactivate/batch", active=False)
    def set_active_batch(self, body: Mapping[str, Any], *, active: bool) -> dict[str, Any]:
        ids = self._batch_ids(body)
        with self._project.lock:
            keys = [self._require(key_id, status=400) for key_id in ids]
            for key in keys:
                key.active = active
        return {}

    @route("POST", "/v1/mgmt/accesskey/delete")
    def delete(self, body: Mapping[str, Any]) -> dict[str, Any]:
        key_id = Fields(body).required_string("id")
        with self._project.lock:
            self._require(key_id, status=400)
            del self._keys[key_id]
        return {}

    @route("POST", "/v1/mgmt/accesskey/delete/batch")
    def delete_batch(self, body: Mapping[str, Any]) -> dict[str, Any]:
        ids = self._batch_ids(body)
        with self._project.lock:
            for key_id in ids:
                self._require(key_id, status=400)
            for key_id in ids:
                self._keys.pop(key_id, None)
        return {}

    @route("POST", "/v1/mgmt/accesskey/rotate")
    def rotate(self, body: Mapping[str, Any]) -> dict[str, Any]:
        key_id = Fields(body).required_string("id")
        with self._project.lock:
            key = self._require(key_id, status=400)
            cleartext = self._new_cleartext()
            key.secret_hash = secret_hash(cleartext)
            return {"cleartext": cleartext, "key": self._to_wire(key, self._project.now())}

    # ----- out-of-band access for tests (console edits) -----------------------------------------

    def get(self, key_id: str) -> dict[str, Any] | None:
        """The key as the load answers it, or None."""
        with self._project.lock:
            key = self._keys.get(key_id)
            return None if key is None else self._to_wire(key, self._project.now())

    def ids(self) -> list[str]:
        with self._project.lock:
            return list(self._keys)

    def count(self) -> int:
        return len(self.ids())

    def verify(self, cleartext: str) -> str | None:
        """The id of the key whose current secret is ``cleartext`` and that is usable (active, not
        expired), else None: what an access-key exchange would accept."""
        wanted = secret_hash(cleartext)
        with self._project.lock:
            now = self._project.now()
            for key in self._keys.values():
                if hmac.compare_digest(key.secret_hash, wanted) and key.status(now) == "active":
                    return key.id
            return None

    def edit(self, key_id: str, **changes: Any) -> dict[str, Any]:
        """A console edit with wire names: the update fields (``name``, ``description``, ``roleNames``,
        ``keyTenants``, ``customClaims``, ``permittedIps``, ``customAttributes``) plus ``status``
        (``active``/``inactive``), ``expireTime`` and ``createdTime``. Returns the key as loaded."""
        with self._project.lock:
            key = self._require(key_id, status=404)
            fields = Fields(changes)
            status = (
                fields.choice("status", ("active", "inactive"), "active") if "status" in changes else None
            )
            expire_time = fields.optional("expireTime", lambda name: fields.integer(name, 0))
            created_time = fields.optional("createdTime", lambda name: fields.integer(name, 0))
            patch = {k: v for k, v in changes.items() if k not in ("status", "expireTime", "createdTime")}
            self.update({"id": key_id, "name": key.name, **patch})
            if status is not None:
                key.active = status == "active"
            if expire_time is not None:
                key.expire_time = expire_time
            if created_time is not None:
                key.created_time = created_time
            return self._to_wire(key, self._project.now())

    def remove(self, key_id: str) -> None:
        """A console delete."""
        self.delete({"id": key_id})

    # ----- internals (called with the project lock held) ----------------------------------------

    def _new_cleartext(self) -> str:
        # A secret, not an id: drawn from the OS, never from the seeded generator tests can replay.
        return "K2" + secrets.token_urlsafe(40)

    def _require(self, key_id: str, *, status: int) -> AccessKey:
        key = self._keys.get(key_id)
        if key is None:
            raise access_key_not_found(key_id, status=status)
        return key

    def _batch_ids(self, body: Mapping[str, Any]) -> list[str]:
        ids = Fields(body).string_list("ids")
        if not ids:
            raise errors.missing_argument("ids")
        return ids

    def _project_roles(self, fields: Fields) -> list[str]:
        names = list(dict.fromkeys(fields.string_list("roleNames")))
        for name in names:
            if self._project.role_id("", name) is None:
                raise errors.invalid_argument(f"Role '{name}' not found")
        return names

    def _tenant_roles(self, body: Mapping[str, Any]) -> list[dict[str, Any]]:
        value = body.get("keyTenants")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise errors.validation_failed("'keyTenants' must be a list of {tenantId, roleNames} objects")
        seen: set[str] = set()
        result = []
        for index, item in enumerate(value):
            entry = Fields(item)
            tenant_id = entry.string("tenantId")
            if not tenant_id:
                raise errors.missing_argument(f"keyTenants[{index}].tenantId")
            if tenant_id in seen:
                raise errors.invalid_argument(f"Tenant '{tenant_id}' appears twice in 'keyTenants'")
            seen.add(tenant_id)
            self._project.require_tenant(tenant_id, status=400)
            role_names = list(dict.fromkeys(entry.string_list("roleNames")))
            for name in role_names:
                if self._project.role_id(tenant_id, name) is None:
                    raise errors.invalid_argument(f"Role '{name}' not found in tenant '{tenant_id}'")
            result.append({"tenantId": tenant_id, "roleNames": role_names})
        return result

    def _build(self, body: Mapping[str, Any], *, allow_past_expiry: bool) -> AccessKey:
        """A validated new key (not yet stored, without a secret) from a create body."""
        fields = Fields(body)
        name = fields.required_string("name")
        expire_time = fields.integer("expireTime", 0)
        now = self._project.now()
        if expire_time and expire_time <= now and not allow_past_expiry:
            raise errors.invalid_argument(f"'expireTime' {expire_time} is not in the future (now {now})")
        role_names = self._project_roles(fields)
        key_tenants = self._tenant_roles(body)
        _check_exclusive(role_names, key_tenants)
        permitted_ips = _permitted_ips(fields)
        key_id = self._project.new_id("K", _KEY_ID_RANDOM_CHARS, lambda candidate: candidate in self._keys)
        client_ids = {key.client_id for key in self._keys.values()}
        return AccessKey(
            id=key_id,
            name=name,
            created_time=now,
            client_id=self._project.new_id(
                "C", _CLIENT_ID_RANDOM_CHARS, lambda candidate: candidate in client_ids
            ),
            secret_hash="",
            expire_time=expire_time,
            role_names=role_names,
            key_tenants=key_tenants,
            bound_user_id=fields.string("userId"),
            custom_claims=fields.mapping("customClaims"),
            description=fields.string("description"),
            permitted_ips=permitted_ips,
            custom_attributes=custom_attributes(fields),
            extra=fields.unknown(KEY_FIELDS),
        )

    def _tenant_name(self, tenant_id: str) -> str:
        tenant = self._project.tenant(tenant_id)
        return "" if tenant is None else tenant.name

    def _to_wire(self, key: AccessKey, now: int) -> dict[str, Any]:
        return copy.deepcopy(
            {
                "id": key.id,
                "name": key.name,
                "roleNames": key.role_names,
                "keyTenants": [
                    {
                        "tenantId": kt["tenantId"],
                        "tenantName": self._tenant_name(kt["tenantId"]),
                        "roleNames": kt["roleNames"],
                    }
                    for kt in key.key_tenants
                ],
                "status": key.status(now),
                "createdTime": key.created_time,
                "expireTime": key.expire_time,
                "createdBy": key.created_by,
                "clientId": key.client_id,
                "boundUserId": key.bound_user_id,
                "customClaims": key.custom_claims,
                "description": key.description,
                "permittedIps": key.permitted_ips,
                "customAttributes": key.custom_attributes,
                **key.extra,
            }
        )


def _check_exclusive(role_names: list[str], key_tenants: list[dict[str, Any]]) -> None:
    if role_names and key_tenants:
        raise errors.invalid_argument(
            "'roleNames' and 'keyTenants' exclude each other: give project roles or tenant roles, not both"
        )
