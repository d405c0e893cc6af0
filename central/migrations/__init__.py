"""Alembic migrations: the same scripts build central's tables on SQLite and PostgreSQL."""
