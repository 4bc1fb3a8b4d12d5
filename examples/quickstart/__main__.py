"""Quickstart: a handful of Descope tenants as code.

Run it with `pulumi up` in the repository root (the root Pulumi.yaml's program, ./__main__.py, runs
this file), or with `make demo`, which types those commands against the local emulator.
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
