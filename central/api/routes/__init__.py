"""API v1, one module a resource."""
