"""Quickstart: a handful of Descope tenants, their roles and permissions, one tenant's SSO
connection, an access key and another tenant's session policy as code.

Run it with `pulumi up` in the repository root (the root Pulumi.yaml's program, ./__main__.py, runs
this file), or with `make demo`, which types those commands against the local emulator.
"""

import pulumi
import pulumi_descope_dynamic as descope


def program() -> None:
    # Permissions, and a project role that grants them. Referring to `perm.name` makes Pulumi create
    # the permissions first; renaming either later is an update in place.
    read_invoices = descope.Permission("invoices-read", name="invoices.read", description="See invoices")
    write_invoices = descope.Permission("invoices-write", name="invoices.write", description="Edit invoices")
    billing_admin = descope.Role(
        "billing-admin",
        name="Billing Admin",
        description="Manages invoices",
        permission_names=[read_invoices.name, write_invoices.name],
    )
    viewer = descope.Role("viewer", name="Viewer", permission_names=[read_invoices.name])

    # Tenant custom attributes, defined as code: the keys tenants' custom_attributes use, their types
    # and options. A tenant's values are checked against them at preview.
    plan = descope.TenantAttribute(
        "plan",
        name="plan",
        display_name="Plan",
        type="singleselect",
        select_options=["starter", "pro", "enterprise"],
    )
    seats = descope.TenantAttribute("seats", name="seats", display_name="Seats", type="number")

    # A parent tenant with self-provisioning domains and custom attributes. depends_on orders it
    # after the attributes it holds values for (and makes the preview check its values).
    acme = descope.Tenant(
        "acme",
        name="Acme Corp",
        tenant_id="acme",
        self_provisioning_domains=["acme.com", "acme.io"],
        custom_attributes={"plan": "enterprise", "seats": 250},
        # Naming the Role resource orders the tenant after the role it gives new members.
        default_roles=[viewer.name],
        # Child tenants go with it when this resource is deleted.
        cascade_delete=True,
        opts=pulumi.ResourceOptions(depends_on=[plan, seats]),
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
        default_roles=[viewer.name, billing_admin.name],
        opts=pulumi.ResourceOptions(depends_on=[plan]),
    )

    # A role that exists only in one tenant: names are unique per tenant, so every tenant may have
    # its own "Auditor".
    descope.Role(
        "acme-auditor",
        name="Auditor",
        tenant_id=acme.id,
        description="Acme's read-only auditors",
        permission_names=[read_invoices.name],
    )

    # A tenant that must sign in through SSO, and one that is switched off.
    initech = descope.Tenant("initech", name="Initech", tenant_id="initech", enforce_sso=True)
    descope.Tenant("umbrella", name="Umbrella (suspended)", tenant_id="umbrella", disabled=True)

    # Initech signs in through its own OIDC provider. The client secret is a stack secret, never in
    # the program or in plain text in the state:
    #   pulumi config set --secret oidcClientSecret <the client secret from the IdP>
    # (`make demo` sets a placeholder). Left unset, the connection is created without a secret.
    initech_sso = descope.SsoConfiguration(
        "initech-oidc",
        tenant_id=initech.tenant_id,
        display_name="Initech Okta",
        oidc=descope.OidcArgs(
            name="Okta",
            client_id="0oa-initech-demo",
            issuer="https://initech.okta.com",
            auth_url="https://initech.okta.com/oauth2/v1/authorize",
            token_url="https://initech.okta.com/oauth2/v1/token",
            user_data_url="https://initech.okta.com/oauth2/v1/userinfo",
            jwks_url="https://initech.okta.com/oauth2/v1/keys",
            scope=["openid", "profile", "email"],
            # Members of this IdP group get the project role "Billing Admin" (naming the Role
            # resource orders the configuration after it).
            role_mappings=[descope.RoleMappingArgs(role_name=billing_admin.name, groups=["initech-admins"])],
        ),
        oidc_client_secret=pulumi.Config().get_secret("oidcClientSecret"),
        domains=["initech.com"],
    )

    # A machine credential for Acme's backend, scoped to the acme tenant with the Viewer role (the
    # map is built from the tenant's id and the role's name, so the key is created after both). Its cleartext
    # exists only in Descope's create (and rotate) answer: Pulumi keeps it encrypted in the state.
    acme_backend = descope.AccessKey(
        "acme-backend",
        name="Acme backend",
        description="Calls Acme's Descope-protected APIs",
        tenant_roles=pulumi.Output.all(acme.tenant_id, viewer.name).apply(lambda ids: {ids[0]: [ids[1]]}),
        permitted_ips=["10.0.0.0/8"],
        # Change the value to rotate the key (a new cleartext; the old one stops working at once).
        rotation_triggers={"rotated": "2026-11"},
    )

    pulumi.export("acme_id", acme.tenant_id)
    pulumi.export("acme_eu_parent", acme_eu.parent_tenant_id)
    pulumi.export("globex_id", globex.tenant_id)
    # Not `initech.created_time`: Descope's create answer does not carry it, so for a tenant this
    # stack creates it is None until the next `pulumi refresh` (docs/resources/tenant.md).
    pulumi.export("billing_admin_role_id", billing_admin.role_id)
    pulumi.export("initech_sso", initech_sso.id)
    # A secret stack output: `pulumi stack output acme_backend_key --show-secrets` reveals it.
    pulumi.export("acme_backend_key", acme_backend.cleartext)


if __name__ == "__main__":
    program()
