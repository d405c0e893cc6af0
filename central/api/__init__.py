"""HTTP: routes by resource, their dependencies, error bodies and middleware."""
