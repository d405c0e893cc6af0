"""An op may have no receipt of its own: a push that asks for one receipt for all its ops
(sync protocol 8) is answered with that, signed once, and its ops keep no signature each.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

A laptop older than protocol 8 that sends such an op again (the same op, on an upgraded
laptop put back) is answered with its own receipt, signed then: Ed25519 signs the same bytes
the same way every time, so it is the receipt central would have kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from records.wording import counted

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.alter_column("receipt_signature", existing_type=sa.LargeBinary(),
                              nullable=True)


def downgrade() -> None:
    unsigned = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM operations WHERE receipt_signature IS NULL")).scalar_one()
    if unsigned:
        raise RuntimeError(
            f"Central holds {counted(unsigned, 'op')} answered by a push's one receipt, with no "
            "receipt of its own, which a central before this step needs to answer it again. "
            "Nothing was changed. Restore the backup taken before the upgrade to go back.")
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.alter_column("receipt_signature", existing_type=sa.LargeBinary(),
                              nullable=False)
