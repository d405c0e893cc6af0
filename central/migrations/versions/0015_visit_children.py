"""Which children each visit names: `visit_children`, filled from every visit held.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Until this, central read a child's visits by the case the visit was filed under: a child
named on a visit of another case (flagged `child_not_on_case`) was not counted as seen there,
where the team lead's laptop counts them, and a child with visits could not move to another
case without every visit dropping off the managers' pages. Now a child's visits are those
that name them, as on the laptops. Every child's kept figures are marked stale, so the next
page or refresh works each out again this way, and the groups are added up again.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "visit_children",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"],
                                name=op.f("fk_visit_children_visit_id_visits")),
        sa.PrimaryKeyConstraint("visit_id", "child_id", name=op.f("pk_visit_children")),
    )
    with op.batch_alter_table("visit_children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_children_child_id"), ["child_id"],
                              unique=False)
    _fill()
    _work_every_child_out_again()


def _work_every_child_out_again() -> None:
    op.execute(sa.text("UPDATE child_figures SET stale = TRUE, generation = generation + 1"))
    op.execute(sa.text("UPDATE figure_state SET rules_key = NULL"))


def _fill() -> None:
    """Each visit's children from its record, read and written a thousand visits at a time
    (the column types turn ids into each database's own form)."""
    bind = op.get_bind()
    visits = sa.table("visits", sa.column("id", sa.Uuid()), sa.column("canonical_json", sa.Text()))
    named = sa.table("visit_children", sa.column("visit_id", sa.Uuid()),
                     sa.column("child_id", sa.Uuid()))
    rows: list[dict[str, uuid.UUID]] = []
    found = bind.execute(sa.select(visits.c.id, visits.c.canonical_json),
                         execution_options={"yield_per": _BATCH})
    for visit_id, record in found:
        children = {uuid.UUID(child["child_id"])
                    for child in json.loads(record).get("children", ())}
        rows.extend({"visit_id": visit_id, "child_id": child} for child in children)
        if len(rows) >= _BATCH:
            bind.execute(sa.insert(named), rows)
            rows = []
    if rows:
        bind.execute(sa.insert(named), rows)


def downgrade() -> None:
    with op.batch_alter_table("visit_children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_children_child_id"))
    op.drop_table("visit_children")
    _work_every_child_out_again()
