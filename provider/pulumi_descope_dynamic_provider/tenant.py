"""The provider behind `pulumi_descope_dynamic.Tenant`.

COMPATIBILITY CONTRACT: `pulumi_descope_dynamic_provider.tenant.TenantProvider` is written into
every user's stack state (the pickled `__provider` property) and imported again at refresh and
destroy time. Never rename or move it; tests/compat unpickles a blob from the first release.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import DiffResult

from .api.errors import DescopeError, NotFoundError
from .api.tenants import Tenant, TenantRequest, TenantSearch
from .core import checks
from .core.abilities import Adopts, Lists, Proposal, Update
from .core.fields import ANY_MAP, FLAG, NUMBER, TEXT_LIST, Field, PyType, ResourceSpec, Sent
from .core.provider import DescopeProvider, ResourceError, TenantError, roll_back_create
from .sso_application import known_app_ids
from .tenant_attribute import custom_attribute_problems

if TYPE_CHECKING:
    from .api.client import DescopeClient

__all__ = ["TENANT", "TenantError", "TenantProvider"]

TENANT = ResourceSpec(
    type_name="Tenant",
    kind="tenant",
    doc="""A Descope tenant (type token `pulumi-python:dynamic/descope:Tenant`).

```python
import pulumi_descope_dynamic as descope
acme = descope.Tenant("acme", name="Acme Corp", tenant_id="acme",
                      self_provisioning_domains=["acme.com"])
```""",
    args_doc="""The inputs of a Descope tenant. An input left as None is not managed by the program: on
update its current value in Descope is kept (set it explicitly, e.g. to [] or False, to manage
it).""",
    example='name="Acme Corp"',
    id_doc="its id. Fails when no tenant has that id",
    fields=(
        Field(
            "name",
            checks.required_name("Acme Corp"),
            required=True,
            doc="Display name, unique in the Descope project (required).",
        ),
        # Descope cannot change a tenant's id, and honours `parent` on create only.
        Field(
            "tenant_id",
            checks.identifier,
            live="id",
            sent=Sent.CREATE,
            doc="""Custom tenant id (letters, digits, '_', '.', '-'). Descope generates one when omitted.
Changing it replaces the tenant.""",
            output_doc="The tenant's id: the one given, or the one Descope generated.",
        ),
        Field(
            "self_provisioning_domains",
            checks.domain_set,
            type=TEXT_LIST,
            doc="""E-mail domains whose users join this tenant on sign-up. Each domain belongs to one tenant
only; stored lower-cased and sorted.""",
        ),
        Field(
            "enforce_sso_exclusions",
            checks.string_set,
            type=TEXT_LIST,
            wire="enforceSSOExclusions",
            doc="User ids exempt from enforce_sso.",
        ),
        Field(
            "federated_app_ids",
            checks.string_set,
            type=TEXT_LIST,
            doc="""Ids of the SSO applications the tenant's users may use, e.g. `[portal.app_id]`; an id
naming no app is refused at preview (when credentials are configured).""",
        ),
        Field(
            "default_roles",
            checks.string_set,
            type=TEXT_LIST,
            sent=Sent.OWN_CALL,
            doc="Roles given to users who join the tenant; the roles must exist in the project.",
        ),
        Field(
            "custom_attributes",
            checks.attribute_map,
            type=ANY_MAP,
            doc="""Values of tenant custom attributes (string, number, boolean or a list of those), keyed by
the attribute's machine name. Each must be defined: by a TenantAttribute the tenant depends on
(checked at preview), or in the Descope console.""",
        ),
        Field(
            "enforce_sso",
            checks.boolean,
            type=FLAG,
            wire="enforceSSO",
            doc="Allow sign-in to this tenant only through its SSO configuration.",
        ),
        Field("disabled", checks.boolean, type=FLAG, doc="Disable sign-in to the tenant."),
        Field(
            "parent_tenant_id",
            checks.identifier,
            type=PyType("str", "str | None"),
            live="parent",
            sent=Sent.CREATE,
            absent=None,
            doc="""Id of the parent tenant; None (left out) for a top-level tenant. Descope sets it at
creation only, so changing it, or removing it, replaces the tenant.""",
        ),
        Field(
            "role_inheritance",
            checks.one_of("", "none", "userOnly"),
            default="",
            doc='How child tenants inherit roles: "" (Descope\'s default), "none" or "userOnly".',
        ),
        checks.provider_flag(
            "cascade_delete",
            """When the resource is deleted, also delete the tenant's child tenants, all levels, each
named in a warning (Descope refuses to delete a parent otherwise); a replacement uses the program's
current value. Changing it changes nothing in Descope.""",
        ),
        checks.provider_flag(
            "adopt",
            """If a tenant with this tenant_id (or, without one, this name) already exists, take it over
and bring it to this program's state instead of failing. `pulumi import` cannot drive dynamic
providers; this is the way to bring existing tenants under Pulumi.""",
        ),
        # Descope's create answer is the id only. Reading the tenant back would double the cost of a
        # create (the rate budget is what bounds a bulk `up`: 300 tenants, +300 requests or, coalesced
        # into lists, +75 lists of the whole project) for an informational field: it is known after
        # the next refresh instead, and declared so (the docs say it; no example exports it).
        Field(
            "created_time",
            output=True,
            type=NUMBER,
            known_after_refresh=True,
            doc="When Descope created the tenant (epoch seconds).",
        ),
        Field("auth_type", output=True, doc='The tenant\'s SSO type: "none", "saml" or "oidc".'),
        Field(
            "domains",
            checks.domain_set,
            output=True,
            type=TEXT_LIST,
            doc="The tenant's SSO domains (set in its SSO configuration).",
        ),
    ),
)


@dataclass(frozen=True)
class Replacement:
    """diff() decided to replace this tenant (delete first); what its delete() needs to know."""

    cascade: bool
    """cascade_delete as the program says now. For a child the engine replaces together with its
    parent before the child registers, the engine hands diff() the stack's recorded inputs."""
    label: str
    """The tenant as the program now names it, for advice ("set cascade_delete=True on ...")."""


# Keys of TenantProvider's per-process notes (core/shared.py SharedApi.notes).
REPLACING = "replacing"  # tenant id -> Replacement
GONE_CHECK_FAILED = "gone_check_failed"


class Tree:
    """Parent and child links of every tenant in the project, from one load-all."""

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        self.tenants = {t.id: t for t in tenants}
        self._children: dict[str, list[str]] = {}
        for tenant in self.tenants.values():
            for child in tenant.successors:
                self._add(tenant.id, child)
            if tenant.parent:
                self._add(tenant.parent, tenant.id)

    def _add(self, parent: str, child: str) -> None:
        kids = self._children.setdefault(parent, [])
        if child in self.tenants and child not in kids:
            kids.append(child)

    def parent(self, tenant_id: str) -> str | None:
        tenant = self.tenants.get(tenant_id)
        return tenant.parent if tenant is not None else None

    def descendants(self, tenant_id: str) -> list[str]:
        """Children, grandchildren, ...: each after its parent."""
        found: list[str] = []
        pending = list(self._children.get(tenant_id, []))
        while pending:
            child = pending.pop(0)
            if child not in found and child != tenant_id:
                found.append(child)
                pending.extend(self._children.get(child, []))
        return found

    def describe(self, ids: Iterable[str], top: str) -> str:
        """ "'c1' (Child), 'gc1' (Grandchild, under 'c1')": each tenant with its name and, below the
        first level, its parent."""
        parts = []
        for tenant_id in ids:
            tenant = self.tenants[tenant_id]
            under = f", under {tenant.parent!r}" if tenant.parent and tenant.parent != top else ""
            parts.append(f"{tenant_id!r} ({tenant.name}{under})")
        return ", ".join(parts)


class TenantProvider(Lists[Tenant], Adopts[Tenant], DescopeProvider[Tenant]):
    """check/diff/create/read/update/delete of one Descope tenant."""

    spec = TENANT
    unique_fix = "choose another tenant_id, name or domain"

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        tenant_id = id_ or props.get("tenant_id")
        name = props.get("name")
        if tenant_id and name:
            return f"tenant {tenant_id!r} ({name})"
        return f"tenant {tenant_id or name!r}"

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        tenant_id, parent = proposal.inputs.get("tenant_id"), proposal.inputs.get("parent_tenant_id")
        if tenant_id is not None and tenant_id == parent and not checks.is_unknown(tenant_id):
            return [("parent_tenant_id", "a tenant cannot be its own parent; remove parent_tenant_id")]
        before = proposal.olds.get("federated_app_ids")
        problems = self._missing_apps(proposal.inputs.get("federated_app_ids"), before or [])
        values = proposal.inputs.get("custom_attributes")
        if values:
            problems += custom_attribute_problems(self, self.label(proposal.inputs), values)
        return problems

    def _missing_apps(self, app_ids: Any, before: Any) -> list[tuple[str, str]]:
        """Ids the program adds to federated_app_ids that name no app, as the live list shows it (one
        list per plugin process, and none when no id is new; not checked without credentials; an id
        not known yet, of an app this run creates, passes)."""
        if not app_ids or checks.is_unknown(app_ids):
            return []
        added = [app_id for app_id in app_ids if not isinstance(before, list) or app_id not in before]
        known = known_app_ids(self) if added else None
        missing = [app_id for app_id in added if known is not None and app_id not in known]
        if not missing:
            return []
        return [
            (
                "federated_app_ids",
                f"federated_app_ids names {', '.join(map(repr, missing))}, but no SSO application has that "
                "id in this Descope project; refer to an SsoApplication as `app.app_id`, or fix it",
            )
        ]

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(id_, olds, news)
        replaces = list(result.replaces or [])
        notes = self._notes()
        plans: dict[str, Replacement] | None = notes.setdefault(REPLACING, {}) if notes is not None else None
        # Unknown because the parent is replaced in this run (its diff came first and is in
        # `plans`)? When the engine replaces a parent delete-first it asks exactly this of every
        # tenant referring to it as `parent.id`: "replace" makes it delete those children first
        # (deepest first) and create them again under the new parent, so the declared tree ends
        # whole; Descope cannot delete the parent while they exist anyway. Unknown for another
        # reason (a generated-id parent merely updated, referred to as `parent.tenant_id`): an
        # update, and `up` diffs again with the real value. Without credentials (a preview cannot
        # tell), replace.
        old_parent = olds.get("parent_tenant_id")
        if (
            checks.is_unknown(news.get("parent_tenant_id"))
            and old_parent is not None
            and (plans is None or old_parent in plans)
        ):
            replaces.append("parent_tenant_id")
        if not replaces and old_parent and self._gone(id_):
            # A child removed with an ancestor (cascade_delete) or in the console: the stack still
            # holds it, so without this a preview would show no change while it is missing.
            pulumi.log.warn(
                f"descope: {self.label(olds, id_)} no longer exists in Descope (deleted with its parent "
                "by cascade_delete, or in the console); `pulumi up` creates it again"
            )
            replaces = ["tenant_id"]
        if plans is not None:
            if replaces:
                plans[id_] = Replacement(news.get("cascade_delete") is True, self.label(news))
            else:
                plans.pop(id_, None)
        if replaces == list(result.replaces or []):
            return result
        return DiffResult(
            changes=True, replaces=replaces, stables=[], delete_before_replace=self.delete_before_replace
        )

    def _gone(self, tenant_id: str) -> bool:
        """Whether a tenant the stack holds no longer exists: one list call per plugin process (shared
        with refresh). False when that cannot be told: no credentials (a preview may run without),
        or Descope unreachable (then warned once, and not asked again in this process)."""
        notes = self._notes()
        if notes is None or notes.get(GONE_CHECK_FAILED):
            return False
        try:
            if self._snapshot().get(tenant_id) is not None:
                return False
            return self.load_live(self.client, tenant_id) is None
        except DescopeError as exc:
            notes[GONE_CHECK_FAILED] = True
            pulumi.log.warn(
                f"descope: could not check whether child tenants still exist ({exc}); `pulumi refresh` "
                "finds any deleted with their parent"
            )
            return False

    def list_live(self, client: DescopeClient) -> list[Tenant]:
        return client.load_all_tenants()

    def live_id(self, live: Tenant) -> str:
        return live.id

    def load_live(self, client: DescopeClient, id_: str) -> Tenant | None:
        try:
            return client.load_tenant(id_)
        except NotFoundError:
            return None

    def find_existing(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Tenant | None:
        if inputs.get("tenant_id"):
            return self.load_live(client, inputs["tenant_id"])
        found = client.search_tenants(TenantSearch(tenant_names=[inputs["name"]]))
        return next((tenant for tenant in found if tenant.name == inputs["name"]), None)

    def _check_live_attributes(self, inputs: Mapping[str, Any]) -> None:
        """Before a write: custom_attributes against Descope's definitions of the keys the program
        does not declare (check() cannot ask Descope)."""
        problems = custom_attribute_problems(
            self, self.label(inputs), inputs.get("custom_attributes"), live=True
        )
        if problems:
            raise ResourceError("; ".join(problem for _, problem in problems) + ". Nothing was written")

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Tenant:
        self._check_live_attributes(inputs)
        # The create body: the managed inputs stored on the tenant itself (default roles have their
        # own call), by their wire keys; Descope's defaults for the rest.
        request = TenantRequest.model_validate(
            {
                **self.spec.to_wire(self.spec.sent_values(inputs, Sent.PATCH)),
                "id": inputs.get("tenant_id"),
                "parent": inputs.get("parent_tenant_id"),
            }
        )
        tenant_id = client.create_tenant(request)
        roles = inputs.get("default_roles")
        if roles:
            try:
                client.update_default_roles(tenant_id, roles)
            except DescopeError as exc:
                roll_back_create(
                    f"tenant {tenant_id!r}",
                    lambda: client.delete_tenant(tenant_id),
                    exc,
                    step="setting its default roles",
                    fix="Delete it in the Descope console, or rerun with adopt=True",
                )
        # No read-back (a create costs one request): the created time is known after the next
        # refresh (the spec declares it). A new tenant has no SSO configuration yet.
        return Tenant.model_validate(
            {**request.model_dump(exclude={"id"}), "id": tenant_id, "default_roles": roles or []}
        )

    def adopt_remote(self, client: DescopeClient, live: Tenant, inputs: Mapping[str, Any]) -> Tenant:
        # Left out, parent_tenant_id means a top-level tenant (the spec's absent=None).
        parent = inputs.get("parent_tenant_id")
        if parent != live.parent:
            raise ResourceError(
                f"{self.label(inputs, live.id)} exists with parent {live.parent!r}, but the program sets "
                f"parent_tenant_id={parent!r}; Descope cannot move a tenant, so fix parent_tenant_id or "
                "recreate it"
            )
        outs = self.outputs(live, inputs)
        changes = {
            name: value
            for name, value in self.spec.sent_values(inputs, Sent.PATCH).items()
            if outs.get(name) != value
        }
        client.patch_tenant(live.id, self.spec.to_wire(changes))
        roles = inputs.get("default_roles")
        if roles is not None and sorted(roles) != sorted(live.default_roles):
            client.update_default_roles(live.id, roles)
            changes["default_roles"] = roles
        return live.patched(self.spec.to_wire(changes))

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        # PATCH changes only the fields sent: one request, and a console edit made meanwhile to a
        # field this program does not change is kept.
        if "custom_attributes" in update.changed:
            self._check_live_attributes(update.inputs)
        client.patch_tenant(update.id, self.spec.to_wire(update.changes(Sent.PATCH)))
        if "default_roles" in update.changed:
            client.update_default_roles(update.id, update.inputs["default_roles"])
        return {}

    def clash_holder(
        self, client: DescopeClient, inputs: Mapping[str, Any], id_: str | None
    ) -> tuple[str, str] | None:
        searches = [TenantSearch(tenant_names=[inputs["name"]])] if inputs.get("name") else []
        if inputs.get("self_provisioning_domains"):
            searches.append(
                TenantSearch(tenant_self_provisioning_domains=inputs["self_provisioning_domains"])
            )
        domains = set(inputs.get("self_provisioning_domains") or [])
        for search in searches:
            for tenant in client.search_tenants(search):
                if tenant.id != id_ and (
                    tenant.name == inputs.get("name") or domains & set(tenant.self_provisioning_domains)
                ):
                    return tenant.id, f"tenant {tenant.id!r} ({tenant.name})"
        return None

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        """Delete with cascade_delete as the program says now: for a replacement, the value diff()
        saw in this run; else (removed from the program, or destroy) the value the stack recorded.
        Every descendant a cascade removes is named in a warning. A cascade that would remove a
        tenant the program still declares in this run fails before anything is deleted, naming them:
        deleting them would lose what the program declares. A delete that Descope refuses because of
        children fails before anything is deleted, saying which two steps work. Costs one request,
        plus one list with cascade_delete or in a replacement (or to explain a refusal)."""
        plans: dict[str, Replacement] = (self._notes() or {}).setdefault(REPLACING, {})
        plan = plans.get(id_)
        cascade = plan.cascade if plan is not None else bool(props.get("cascade_delete"))
        if plan is None and not cascade:
            # The common case costs one request; only a refusal needs the tree, to explain it.
            try:
                return client.delete_tenant(id_)
            except DescopeError:
                tree = Tree(client.load_all_tenants())
                children = tree.descendants(id_)
                if self._declared(children):
                    raise ResourceError(self._keeps_declared(tree, id_, children)) from None
                if children:
                    raise ResourceError(self._blocked_delete(tree, id_, children)) from None
                raise
        tree = Tree(client.load_all_tenants())
        if id_ not in tree.tenants:
            plans.pop(id_, None)
            return False
        if plan is not None:
            cascade = self._check_replacement(tree, id_, plans)
        removed = [t for t in tree.descendants(id_) if t not in plans] if cascade else []
        if self._declared(removed):
            raise ResourceError(self._keeps_declared(tree, id_, removed))
        existed = client.delete_tenant(id_, cascade=cascade)
        plans.pop(id_, None)
        if removed:
            pulumi.log.warn(
                f"descope: {self.label(props, id_)} was deleted with cascade_delete, and with it its child "
                f"tenants {tree.describe(removed, id_)}; if your program still declares any of them, "
                "`pulumi preview` shows it and `pulumi up` creates it again"
            )
        return existed

    def _check_replacement(self, tree: Tree, id_: str, plans: Mapping[str, Replacement]) -> bool:
        """Before the first delete of a replacement: every tenant under the replaced one must be
        either replaced too in this run (the engine deletes it first) or covered by a cascade_delete.
        Checked on the whole subtree at the first delete (the deepest child goes first), so that a
        blocked replacement deletes nothing. Returns whether this delete cascades."""
        top = id_
        while (parent := tree.parent(top)) is not None and parent in plans:
            top = parent

        def cascaded(tenant_id: str) -> bool:
            ancestor = tree.parent(tenant_id)
            while ancestor is not None:
                if ancestor in plans and plans[ancestor].cascade:
                    return True
                if ancestor == top:
                    return False
                ancestor = tree.parent(ancestor)
            return False

        blockers = [t for t in tree.descendants(top) if t not in plans and not cascaded(t)]
        if blockers:
            raise ResourceError(
                f"{self.label({'name': tree.tenants[top].name}, top)} cannot be replaced: Descope deletes a "
                "tenant only together with its child tenants, and this program does not replace these "
                f"tenants under it: {tree.describe(blockers, top)}. Nothing was deleted. Either set "
                f"cascade_delete=True on {plans[top].label} and run `pulumi up` again (they are deleted "
                "with it; any your program declares is created again by the `pulumi up` after that), or "
                "delete them in the Descope console first. If your program declares them with a literal "
                "parent id, Pulumi cannot know they are its children: switch them to "
                "`parent_tenant_id=<parent resource>.id` and run `pulumi up` with the old tenant_id (this "
                "changes nothing in Descope), then change tenant_id and run `pulumi up`: Pulumi replaces "
                "them together with it"
            )
        cascade = plans[id_].cascade or cascaded(id_)
        waiting = tree.descendants(id_)
        if waiting and not cascade:
            # Replaced in this run too, but not deleted first: the engine does not know they are
            # children (a literal parent id), so it runs the deletes in any order.
            raise ResourceError(
                f"{self.label({'name': tree.tenants[id_].name}, id_)} cannot be replaced yet: its child "
                f"tenants {tree.describe(waiting, id_)} are still there. Nothing was deleted. Either set "
                f"cascade_delete=True on {plans[id_].label} and run `pulumi up` again, or first switch the "
                "children to `parent_tenant_id=<parent resource>.id` (not a literal id) and run `pulumi up` "
                "with the old tenant_id, so that Pulumi knows to delete children first, then change it"
            )
        return cascade

    def _declared(self, tenant_ids: list[str]) -> list[str]:
        return [t for t in tenant_ids if self.declared_in_this_run(t)]

    def _keeps_declared(self, tree: Tree, id_: str, descendants: list[str]) -> str:
        """Why a delete stops: it would take with it tenants the program still declares."""
        label = self.label({"name": tree.tenants[id_].name}, id_)
        declared = tree.describe(self._declared(descendants), id_)
        return (
            f"{label} was not deleted: Descope deletes a tenant only together with its child tenants, and "
            f"this program still declares {declared} under it; deleting them would lose them. Nothing was "
            "deleted. Either remove those tenants from the program too (then `pulumi up` deletes them with "
            "it), or move them to another parent first: set their parent_tenant_id to the new parent and "
            "run `pulumi up` (Descope cannot move a tenant, so each is replaced under its new parent), then "
            "remove this tenant"
        )

    def _blocked_delete(self, tree: Tree, id_: str, children: list[str]) -> str:
        label = self.label({"name": tree.tenants[id_].name}, id_)
        return (
            f"{label} was not deleted: it has child tenants {tree.describe(children, id_)}, and Descope "
            "deletes a tenant only together with its children. Nothing was deleted. Either delete those "
            "children in the Descope console first, or delete them with it in two steps: 1) declare this "
            "Tenant with cascade_delete=True (put it back in the program if you removed it) and run "
            "`pulumi up`, which records the setting; 2) remove it from the program and run `pulumi up` "
            "(or run `pulumi destroy`)"
        )

    def delete_hint(self, exc: DescopeError) -> str:
        if "child" in exc.message.lower() or "successor" in exc.message.lower():
            return (
                "; it has child tenants: delete them first, or declare it with cascade_delete=True, run "
                "`pulumi up` (which records it), then delete it again"
            )
        return ""
