"""Quickstart: a handful of Descope tenants as code, one with its own session policy.

Run it with `pulumi up` from the repository root (the root Pulumi.yaml points here), or with
`make demo`, which deploys it on the local emulator with local state.
"""

import pulumi
import pulumi_descope_dynamic as descope


def program() -> None:
    # A parent tenant with self-provisioning domains and custom attributes. Custom attribute keys
    # must be defined as tenant custom attributes in the Descope console first.
    acme = descope.Tenant(
        "acme",
        name="Acme Corp",
        tenant_id="acme",
        self_provisioning_domains=["acme.com", "acme.io"],
        custom_attributes={"plan": "enterprise", "seats": 250},
        default_roles=["viewer"],
        # Child tenants go with it when this resource is deleted.
        cascade_delete=True,
    )

    # A child tenant: parent_tenant_id takes the parent's id output, so Pulumi creates the parent
    # first (`.id` is known in a preview even for generated ids). Descope sets the parent at
    # creation only; changing it replaces the child.
    acme_eu = descope.Tenant(
        "acme-eu",
        descope.TenantArgs(
            name="Acme Europe",
            tenant_id="acme-eu",
            parent_tenant_id=acme.id,
            self_provisioning_domains=["acme.eu"],
            role_inheritance="userOnly",
        ),
    )

    # Acme's security team wants its own session policy: short sessions, a 12-hour refresh token
    # and sign-out after an hour without activity. `tenant_id=acme.id` orders it after the tenant
    # (and, on destroy, before it). Deleting it puts back the settings the tenant had before.
    descope.TenantSettings(
        "acme-session",
        tenant_id=acme.id,
        session_settings_enabled=True,
        session_token_expiration="15m",
        refresh_token_expiration="12h",
        enable_inactivity=True,
        inactivity_time="1h",
    )

    # Descope generates the id when none is given.
    globex = descope.Tenant(
        "globex",
        name="Globex",
        custom_attributes={"plan": "starter"},
        default_roles=["viewer", "admin"],
    )

    # A tenant that must sign in through SSO, and one that is switched off.
    initech = descope.Tenant("initech", name="Initech", tenant_id="initech", enforce_sso=True)
    descope.Tenant("umbrella", name="Umbrella (suspended)", tenant_id="umbrella", disabled=True)

    pulumi.export("acme_id", acme.tenant_id)
    pulumi.export("acme_eu_parent", acme_eu.parent_tenant_id)
    pulumi.export("globex_id", globex.tenant_id)
    pulumi.export("initech_created", initech.created_time)


if __name__ == "__main__":
    program()
