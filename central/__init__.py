"""Central: the system the laptops sync to, and the open API the council integrates with.

FastAPI + SQLAlchemy 2 + Alembic; PostgreSQL in production, SQLite as the embedded default.
Imports `records` and `sync.protocol` only. Layout: `core/` (settings, logging, keys,
tokens), `db/` (tables, engine), `migrations/` (Alembic), `services/` (what the API and the
CLI do), `api/` (routes and their dependencies), `app.py` (the ASGI app), `cli.py`.
"""
