"""Quickstart: a handful of Descope tenants and an access key as code.

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

    # A machine credential for Acme's backend, scoped to the acme tenant with its viewer role (the
    # map's key is the tenant's id output, so the key is created after the tenant). Its cleartext
    # exists only in Descope's create (and rotate) answer: Pulumi keeps it encrypted in the state.
    acme_backend = descope.AccessKey(
        "acme-backend",
        name="Acme backend",
        description="Calls Acme's Descope-protected APIs",
        tenant_roles=acme.tenant_id.apply(lambda tenant_id: {tenant_id: ["viewer"]}),
        permitted_ips=["10.0.0.0/8"],
        # Change the value to rotate the key (a new cleartext; the old one stops working at once).
        rotation_triggers={"rotated": "2026-11"},
    )

    pulumi.export("acme_id", acme.tenant_id)
    pulumi.export("acme_eu_parent", acme_eu.parent_tenant_id)
    pulumi.export("globex_id", globex.tenant_id)
    pulumi.export("initech_created", initech.created_time)
    # A secret stack output: `pulumi stack output acme_backend_key --show-secrets` reveals it.
    pulumi.export("acme_backend_key", acme_backend.cleartext)


if __name__ == "__main__":
    program()
