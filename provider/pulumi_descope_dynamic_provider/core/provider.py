"""The generic dynamic provider every Descope resource type builds on.

A resource type is a `ResourceSpec` (its fields, core/fields.py) plus a few hooks that talk to its
API (list, load, find-existing, create, adopt, update, delete). This base does the rest the same way
for all of them: configuration, one client per project shared by every type in the plugin process,
one list call per type per refresh, check/diff from the spec (unknowns pass), create with adoption,
read with refreshed inputs of the managed fields only, update of the changed fields, and errors in
the form "resource, cause, fix".

What is pickled into users' state is only a format marker: configuration, the client and the
management key are built after `configure()` in the plugin process and never reach the state.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from ..api.errors import AlreadyExistsError, DescopeError, NotFoundError
from ..api.settings import ClientSettings, SettingsError
from .abilities import Adopts, Lists, Proposal, Update
from .checks import is_unknown
from .fields import ResourceSpec, Sent
from .shared import SharedApi, shared_api
from .snapshot import Snapshot

if TYPE_CHECKING:
    from ..api.client import DescopeClient

CONFIG_KEYS = (
    "descope:projectId",
    "descope:managementKey",
    "descope:baseUrl",
    "descope:rateLimit",
    "descope:rateLimitStore",
    "descope:rateLimitShare",
    "descope:callDeadline",
    "descope:adoptExisting",
)
PICKLE_FORMAT = 1
# What a plain rerun of a killed `pulumi up` meets for every object the killed run made (with
# PULUMI_SKIP_CHECKPOINTS, every one): the recovery, named where the user looks.
_AFTER_AN_INTERRUPTION = (
    ". After an interrupted `pulumi up` (the objects it made are not in the stack), adopt them all at "
    'once: `pulumi up --config descope:adoptExisting=true` (README, "Recovering from an interrupted apply")'
)
MANAGED_INPUTS = "managed_inputs"

Live = TypeVar("Live")
R = TypeVar("R")


class ResourceError(Exception):
    """What the user sees when an operation fails: resource, cause and fix in one sentence.
    Raised from the callback itself so the plugin's traceback stays a few lines long."""


def roll_back_create(
    label: str,
    remove: Callable[[], object],
    cause: DescopeError,
    *,
    step: str,
    fix: str,
    removing: str = "removing",
    step_in_cause: bool = True,
) -> NoReturn:
    """Create is all or nothing: a later `step` of a create failed with `cause`, so `remove()` what
    was created and say it was not created; when removing it fails too, say so and how to `fix` it."""
    try:
        remove()
    except DescopeError as undo:
        raise ResourceError(
            f"{label} was created but {step} failed ({cause}); {removing} it again failed too ({undo}). {fix}"
        ) from None
    why = f"{step} failed: {cause}" if step_in_cause else str(cause)
    raise ResourceError(f"{label} was not created: {why}") from None


# Kept for the 0.1 name: TenantError was the error of the first release.
TenantError = ResourceError


def canonical(value: Any) -> Any:
    """A comparable form that keeps types apart: in Python True == 1, but not in Descope. Numbers
    compare by value (the plugin protocol turns 5 into 5.0)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, list | tuple):
        return ("list", tuple(canonical(item) for item in value))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(k), canonical(v)) for k, v in value.items())))
    return ("other", value)


def _writes(method: Callable[..., R]) -> Callable[..., R]:
    """Invalidate the refresh snapshots before and after a write: a read racing the write (the
    plugin runs four calls at once) must not keep a snapshot loaded before the write landed."""

    @functools.wraps(method)
    def wrapper(self: DescopeProvider[Any], *args: Any, **kwargs: Any) -> R:
        self._invalidate_snapshots()
        try:
            return method(self, *args, **kwargs)
        finally:
            self._invalidate_snapshots()

    return wrapper


class DescopeProvider(ResourceProvider, Generic[Live]):
    """check/diff/create/read/update/delete of one Descope object type, driven by `spec`."""

    spec: ClassVar[ResourceSpec]
    # How to resolve a clash with an existing object (unique names, domains), for error messages.
    unique_fix: ClassVar[str] = "choose another name"
    # Unique names mean the old object must go before its replacement can be created.
    delete_before_replace: ClassVar[bool] = True

    # Nothing credential-bearing is ever pickled (see __getstate__), so the blob need not be a
    # secret; plain blobs keep large stacks fast.
    serialize_as_secret_always = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A type's abilities are declared, and what it declares must be there: raised at import."""
        super().__init_subclass__(**kwargs)
        spec: ResourceSpec | None = cls.__dict__.get("spec")
        if spec is None:
            return
        missing = [
            f"{ability.__name__}.{hook}"
            for ability, hooks in ((Lists, ("list_live",)), (Adopts, ("find_existing", "adopt_remote")))
            if issubclass(cls, ability)
            for hook in hooks
            if getattr(cls, hook) is getattr(ability, hook)
        ]
        if spec.adoptable and not issubclass(cls, Adopts):
            missing.append("Adopts (the spec has an `adopt` input)")
        sends_updates = any(spec.sent(f) is not Sent.CREATE for f in spec.remote_inputs)
        if sends_updates and cls.update_remote is DescopeProvider.update_remote:
            missing.append("update_remote (not every input is create-only)")
        if missing:
            raise TypeError(f"{cls.__name__} declares but lacks: {', '.join(missing)}")

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._config: dict[str, Any] = {}
        self._shared: SharedApi | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"format": PICKLE_FORMAT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._reset()

    def use_client(self, client: DescopeClient) -> None:
        """Give the provider a ready client instead of one built from configure() (tests; it is
        not pickled, so it never reaches the plugin)."""
        with self._lock:
            self._shared = SharedApi(lambda: client)

    def configure(self, req: ConfigureRequest) -> None:
        # Keep the raw values only; the client (and any error about missing credentials) comes
        # when an API call needs it, so check() and diff() work without credentials.
        self._config = {key: req.config.get(key) for key in CONFIG_KEYS}

    def _adopt_existing(self) -> bool:
        """Stack-wide adopt=True, for recovering from an interrupted apply (README): objects that
        the killed run created but never recorded are taken over instead of failing as duplicates."""
        return str(self._config.get("descope:adoptExisting") or "").strip().lower() in {"true", "1", "yes"}

    def _api(self) -> SharedApi:
        with self._lock:
            if self._shared is None:
                try:
                    settings = ClientSettings.resolve(self._config)
                except SettingsError as exc:
                    raise ResourceError(f"Descope provider configuration: {exc}") from None
                self._shared = shared_api(settings)
            return self._shared

    @property
    def client(self) -> DescopeClient:
        return self._api().client

    def _lister(self) -> Lists[Live]:
        if not isinstance(self, Lists):
            raise TypeError(f"{type(self).__name__} cannot list its objects (it does not mix in Lists)")
        return self

    def _snapshot(self) -> Snapshot[Live]:
        client = self.client
        return self._api().snapshot(self.spec.type_name, lambda: self.list_for_refresh(client), self.live_id)

    def list_for_refresh(self, client: DescopeClient) -> list[Live]:
        """What a refresh's snapshot of this type holds: `list_live`, unless the type derives it from
        another type's snapshot (`shared_snapshot`), so that this process lists once for both."""
        return self._lister().list_live(client)

    def shared_snapshot(
        self, type_name: str, load_all: Callable[[], list[Any]], key: Callable[[Any], str]
    ) -> Snapshot[Any]:
        """The refresh snapshot of another type (e.g. "Tenant"), shared with that type's reads
        (`load_all` and `key` as that type lists them: whichever reads first takes it)."""
        return self._api().snapshot(type_name, load_all, key)

    def _invalidate_snapshots(self) -> None:
        with self._lock:
            shared = self._shared
        if shared is not None:
            shared.invalidate()

    # ---- hooks: what differs between resource types ----------------------------------------------

    def live_id(self, live: Live) -> str:
        raise NotImplementedError

    def listed_now(self, client: DescopeClient, id_: str) -> Live:
        """The object as a fresh list (not the snapshot) shows it, for an API whose update is a full
        replace and that has no load by id (roles, permissions); NotFoundError when it is gone,
        which update() words as "no longer exists ... run `pulumi refresh`"."""
        live = next((found for found in self._lister().list_live(client) if self.live_id(found) == id_), None)
        if live is None:
            raise NotFoundError(f"{self.spec.kind} {id_!r} is not in the list")
        return live

    def load_live(self, client: DescopeClient, id_: str) -> Live | None:
        """One object by id: for a type that cannot list, every read; for one that can, an object
        not in the snapshot (created since). None when it does not exist. By default (a type that
        lists) the list is the authority."""
        return None

    def reads_back(self) -> bool:
        """Whether Descope can show the object again at all (by list or by id). A type that cannot
        (a link shown once) keeps its state as it is at refresh."""
        return isinstance(self, Lists) or type(self).load_live is not DescopeProvider.load_live

    def validate(self, proposal: Proposal) -> list[tuple[str, str]]:
        """Checks across fields, on the normalised inputs (and what the program gave, and the old
        inputs): (property, problem) pairs."""
        return []

    def create_remote(self, client: DescopeClient, inputs: Mapping[str, Any]) -> Live:
        """Create the object, all or nothing: if a later step fails, undo the earlier ones."""
        raise NotImplementedError

    def update_remote(self, client: DescopeClient, update: Update) -> Mapping[str, Any]:
        """Send the changed inputs; return outputs that changed beyond the inputs (usually none)."""
        raise NotImplementedError

    def delete_remote(self, client: DescopeClient, id_: str, props: Mapping[str, Any]) -> bool:
        """Delete; False when it was already gone."""
        raise NotImplementedError

    def clash_holder(
        self, client: DescopeClient, inputs: Mapping[str, Any], id_: str | None
    ) -> tuple[str, str] | None:
        """After an "already exists" answer: the (id, label) of the other object holding one of the
        inputs' unique values, if it can be found; `id_` is the object being written (not a holder)."""
        return None

    def label(self, props: Mapping[str, Any], id_: str | None = None) -> str:
        """How messages name one object, e.g. "role 'Admin' of tenant 'acme'"."""
        name = props.get("name")
        if id_ and name:
            return f"{self.spec.kind} {name!r} ({id_})"
        return f"{self.spec.kind} {name or id_!r}"

    # ---- shared pieces -----------------------------------------------------------------------------

    def _notes(self) -> dict[str, Any] | None:
        """This type's per-process notes, or None before credentials are configured (a preview may
        diff without them; nothing is deleted then)."""
        try:
            return self._api().notes(self.spec.type_name)
        except ResourceError:
            return None

    def _hold(self, id_: str, *, declared: bool = False) -> None:
        with contextlib.suppress(ResourceError):  # not configured yet: nothing to clash with
            self._api().hold(self.spec.type_name, id_)
            if declared:
                self._api().declare(self.spec.type_name, id_)

    def declared_in_this_run(self, id_: str) -> bool:
        """Whether the program declares this object in this run (SharedApi.declare)."""
        try:
            return self._api().declares(self.spec.type_name, id_)
        except ResourceError:
            return False

    def _clash_message(
        self,
        client: DescopeClient,
        label: str,
        inputs: Mapping[str, Any],
        exc: AlreadyExistsError,
        id_: str | None,
    ) -> str:
        """Why a create or update clashed with another object's unique value, and the fix. adopt=True
        is offered only for a holder this program is not known to manage: taking over a sibling would
        leave two resources managing one object."""
        kind = self.spec.kind
        try:
            holder = self.clash_holder(client, inputs, id_)
        except DescopeError:
            holder = None
        held_by = f" ({holder[1]} holds it)" if holder else ""
        # Both steps are free of clashes whatever order Pulumi runs the writes in.
        two_steps = (
            "do it in two steps: first give each resource involved a value no other one holds (a "
            "temporary one, or none; remove a resource you are dropping) and run `pulumi up`, then set "
            "the final values and run `pulumi up` again"
        )
        unique = (
            "Names (and tenant domains) are unique in a project, so two resources cannot swap or hand over "
            "a value in one `pulumi up`"
        )
        verb = "updated" if id_ else "created"
        if holder and self._api().holds(self.spec.type_name, holder[0]):
            return (
                f"{label} was not {verb}: {exc.message}{held_by}, and this program manages that {kind} "
                f"too. {unique}: {two_steps}"
            )
        if id_:
            return (
                f"{label} was not updated: {exc.message}{held_by}. {unique}: if another resource of this "
                f"program holds the value (a swap), {two_steps}; otherwise {self.unique_fix}"
            )
        return (
            f"{label} cannot be created: {exc.message}{held_by}. {unique}: if another resource of this "
            f"program holds the value (a swap, or a {kind} this `pulumi up` removes, because Pulumi "
            f"deletes removed resources only after creating new ones), {two_steps}. If that {kind} exists "
            "in Descope but no stack manages it and it is the one this resource should manage, set "
            f"adopt=True to take it over (its settings become this program's); otherwise {self.unique_fix}"
            + (_AFTER_AN_INTERRUPTION if isinstance(self, Adopts) else "")
        )

    def managed(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The inputs this program sets (None means "leave as it is in Descope")."""
        return {name: props[name] for name in self.spec.input_names if props.get(name) is not None}

    def outputs(self, live: Live, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Live state in the same normalised form check() gives inputs, so that diff() compares like
        with like; plus which inputs the program sets: read() rebuilds exactly those from live
        state, so the preview after a refresh shows the drift and nothing else."""
        outs = {f.name: f.output_from(live, inputs) for f in self.spec.fields}
        outs[MANAGED_INPUTS] = sorted(inputs)
        return outs

    # ---- preview ----------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs: dict[str, Any] = {}
        failures: list[tuple[str, str]] = []
        spec = self.spec
        for key, value in news.items():
            if key.startswith("__") or key == MANAGED_INPUTS or key in {f.name for f in spec.fields}:
                continue
            if value is not None:
                allowed = ", ".join(spec.input_names)
                failures.append((key, f"{key!r} is not a {spec.type_name} input; the inputs are: {allowed}"))
        for field in spec.inputs:
            value = news.get(field.name)
            if is_unknown(value):
                inputs[field.name] = value
                continue
            if value is None and field.left_out_means_value:
                # Left out means a value (field.absent), not "unmanaged": None stays out of the
                # inputs, and diff() compares it like any other value.
                if field.absent is not None:
                    inputs[field.name] = field.absent
                continue
            assert field.check is not None, f"{spec.type_name}.{field.name} is an input without a check"
            normalised, problem = field.check(field.name, value)
            if problem:
                failures.append((field.name, problem))
            elif normalised is not None:
                inputs[field.name] = normalised
        # Fields that failed are absent from `inputs`.
        failures.extend(self.validate(Proposal(inputs=inputs, given=news, olds=_olds)))
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # `olds` are the previous outputs (live state as of the last apply or refresh).
        self._hold(_id, declared=True)
        changed: list[str] = []
        for field in self.spec.inputs:
            new: Any = news.get(field.name)
            old: Any
            if field.provider_only:
                new = bool(new) if not is_unknown(new) else new
                old = bool(olds.get(field.name))
            elif new is None and not field.left_out_means_value:
                continue  # not managed by the program: whatever Descope has is kept
            else:
                old = olds.get(field.name)
                if new is None:
                    # Left out means `absent` (e.g. a role's tenant_id: the project scope); Descope
                    # shows that as an empty value as often as a null.
                    new = field.absent
                    if old in (None, "") and new in (None, ""):
                        continue
            if is_unknown(new) or canonical(new) != canonical(old):
                changed.append(field.name)
        replaces = [
            name
            for name in changed
            if self.spec.field(name).replace_on_change and not self.unknown_is_update(name, news.get(name))
        ]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=[],
            delete_before_replace=self.delete_before_replace,
        )

    def unknown_is_update(self, name: str, value: Any) -> bool:
        """Whether an unknown value of a replace-on-change input is shown as an update in a preview.
        By default an unknown id (of an object created or replaced in the same run) is: `up` diffs
        again with the real value and replaces then if it really changed."""
        return is_unknown(value)

    # ---- apply ------------------------------------------------------------------------------------

    @_writes
    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = self.managed(props)
        label = self.label(inputs)
        client = self.client
        adopter: Adopts[Live] | None = self if isinstance(self, Adopts) else None
        adopting = adopter is not None and (bool(inputs.get("adopt")) or self._adopt_existing())
        try:
            if adopting and adopter is not None:
                existing = adopter.find_existing(client, inputs)
                if existing is not None:
                    live = adopter.adopt_remote(client, existing, inputs)
                    pulumi.log.info(
                        f"descope: adopted existing {self.label(inputs, self.live_id(live))} into the stack"
                    )
                    self._hold(self.live_id(live), declared=True)
                    return CreateResult(self.live_id(live), self.outputs(live, inputs))
            live = self.create_remote(client, inputs)
        except AlreadyExistsError as exc:
            if adopting:
                raise ResourceError(
                    f"{label} cannot be created or adopted: {exc.message}. Another {self.spec.kind} already "
                    f"uses that name or unique value; {self.unique_fix}, or free it in Descope"
                ) from None
            raise ResourceError(self._clash_message(client, label, inputs, exc, None)) from None
        except DescopeError as exc:
            raise ResourceError(f"{label} was not created: {exc}") from None
        self._hold(self.live_id(live), declared=True)
        return CreateResult(self.live_id(live), self.outputs(live, inputs))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        managed = props.get(MANAGED_INPUTS)
        if not self.reads_back():
            # Descope cannot show it again: the state is the only record of it (no request).
            kept = {key: props[key] for key in managed or [] if props.get(key) is not None}
            return ReadResult(id_, dict(props), inputs=kept)
        client = self.client
        label = self.label(props, id_)
        try:
            live = self._snapshot().get(id_) if isinstance(self, Lists) else None
            if live is None:
                # Not in the snapshot: gone, or created after it was taken. Ask directly.
                live = self.load_live(client, id_)
        except NotFoundError:
            live = None
        except DescopeError as exc:
            raise ResourceError(f"{label} could not be read: {exc}") from None
        if live is None:
            if managed is None:  # Resource.get() of an id that does not exist
                raise ResourceError(
                    f"{self.spec.kind} {id_!r} does not exist in this Descope project; check the id given "
                    f"to {self.spec.type_name}.get() and the stack's descope:projectId"
                )
            pulumi.log.warn(
                f"descope: {label} no longer exists in Descope (deleted outside Pulumi); it is dropped "
                f"from the stack state and the next `pulumi up` creates it again{self.gone_hint()}"
            )
            return ReadResult(None, {})

        if managed is not None:
            self._hold(id_)
        previous = {f.name: props[f.name] for f in self.spec.inputs if props.get(f.name) is not None}
        outs = self.outputs(live, {k: v for k, v in previous.items() if self._kept_from_inputs(k)})
        outs.update({name: props.get(name) for name in self.spec.recorded_names})
        if managed is None:  # .get(): an unmanaged lookup
            outs[MANAGED_INPUTS] = []
            return ReadResult(self.live_id(live), outs)
        refreshed_inputs = {key: outs[key] for key in managed if outs.get(key) is not None}
        outs[MANAGED_INPUTS] = sorted(managed)
        return ReadResult(self.live_id(live), outs, inputs=refreshed_inputs)

    def _kept_from_inputs(self, name: str) -> bool:
        return not self.spec.field(name).in_descope

    @_writes
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = self.managed(news)
        label = self.label(inputs, id_)
        changed = [
            f.name
            for f in self.spec.remote_inputs
            if f.name in inputs and canonical(inputs[f.name]) != canonical(olds.get(f.name))
        ]
        extra: Mapping[str, Any] = {}
        if changed:
            try:
                update = Update(self.spec, id_, olds, inputs, tuple(changed))
                extra = self.update_remote(self.client, update)
            except NotFoundError:
                raise ResourceError(
                    f"{label} no longer exists in Descope (deleted outside Pulumi?); run `pulumi refresh` "
                    "to drop it from the state, then `pulumi up` creates it again"
                ) from None
            except AlreadyExistsError as exc:
                raise ResourceError(self._clash_message(self.client, label, inputs, exc, id_)) from None
            except DescopeError as exc:
                raise ResourceError(f"{label} was not updated: {exc}") from None
        # Only the changed fields were sent; the rest is as the last apply or refresh saw it.
        outs = {**olds, **{name: inputs[name] for name in changed}, **extra}
        outs.update({name: bool(inputs.get(name)) for name in self.spec.provider_only_names})
        outs.update({name: inputs.get(name) for name in self.spec.secret_input_names})
        outs[MANAGED_INPUTS] = sorted(inputs)
        return UpdateResult(outs)

    @_writes
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        label = self.label(props, id_)
        try:
            existed = self.delete_remote(self.client, id_, props)
        except ResourceError:
            raise
        except DescopeError as exc:
            raise ResourceError(f"{label} was not deleted: {exc}{self.delete_hint(exc)}") from None
        if not existed:
            pulumi.log.info(f"descope: {label} was already gone from Descope")

    def delete_hint(self, exc: DescopeError) -> str:
        return ""

    def gone_hint(self) -> str:
        """Appended to the warning about an object deleted outside Pulumi: what recreating it means."""
        return ""
