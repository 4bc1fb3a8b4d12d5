"""The Descope Management API client: transport, settings, errors and one module per API."""
