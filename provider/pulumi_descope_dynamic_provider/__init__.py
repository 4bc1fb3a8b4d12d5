"""Engine-facing half of pulumi-descope-dynamic: settings, the Descope management client, rate
limiting, retries and the Pulumi dynamic resource providers.

The dotted paths of the ResourceProvider classes in this package are written into users' stack
state; they are a compatibility contract (see tests/compat).
"""
