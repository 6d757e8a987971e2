"""The family's own access: invitations and who is excluded, one-time sign-in codes, sections released to the
family; voice entries confidential to the young person; consents withdrawn by a family member

Revision ID: 0024
Revises: 0025
Create Date: 2026-12-03 13:20:00

Secrets (invitation tokens, codes) are stored as keyed HMACs only; the email address is encrypted, bound to
table, field and row, with a blind index to find it by.
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0025'
branch_labels = None
depends_on = None


# Migration 0002's rule for a given consent, with the new column among those set once, at withdrawal. SQLite's
# batch mode rebuilds the table to add the foreign key, which drops its trigger: it is made again here.
CONSENT_FIXED = ("family_id", "given_by_person_id", "capacity", "decision", "about_person_id", "method",
                 "valid_from", "expires_on", "review_on", "recorded_by_id", "recorded_at",
                 "competence_assessed_by_id", "competence_assessed_on", "supersedes_id", "created_at")
MESSAGE = "consent is immutable once given: record a new one instead"


def _changed(once: tuple[str, ...], differs: str) -> str:
    changes = [f"NEW.{c} {differs} OLD.{c}" for c in CONSENT_FIXED]
    set_once = " OR ".join(f"NEW.{c} {differs} OLD.{c}" for c in once)
    return " OR ".join(changes) + f" OR (OLD.withdrawn_at IS NOT NULL AND ({set_once}))"


def _consent_trigger(once: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE OR REPLACE FUNCTION consent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF {_changed(once, "IS DISTINCT FROM")} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END $$;
        """)
        op.execute("DROP TRIGGER IF EXISTS consent_immutable ON consent")
        op.execute("CREATE TRIGGER consent_immutable BEFORE UPDATE ON consent "
                   "FOR EACH ROW EXECUTE FUNCTION consent_refuse_change()")
    else:
        op.execute("DROP TRIGGER IF EXISTS consent_immutable")
        op.execute(f"""
            CREATE TRIGGER consent_immutable BEFORE UPDATE ON consent FOR EACH ROW
            WHEN {_changed(once, "IS NOT")}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """)


def upgrade() -> None:
    op.create_table('family_access',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('capacity', sa.String(length=20), nullable=False),
    sa.Column('email_ct', sa.Text(), nullable=False),
    sa.Column('email_bidx', sa.String(length=64), nullable=False),
    sa.Column('competence_assessed_by_id', sa.Uuid(), nullable=True),
    sa.Column('competence_assessed_on', sa.Date(), nullable=True),
    sa.Column('invited_by_id', sa.Uuid(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invitation_digest', sa.String(length=64), nullable=True),
    sa.Column('invitation_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invitation_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('excluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('excluded_by_id', sa.Uuid(), nullable=True),
    sa.Column('excluded_reason_ct', sa.Text(), nullable=True),
    sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['competence_assessed_by_id'], ['staff_user.id'], name=op.f('fk_family_access_competence_assessed_by_id_staff_user')),
    sa.ForeignKeyConstraint(['excluded_by_id'], ['staff_user.id'], name=op.f('fk_family_access_excluded_by_id_staff_user')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_family_access_family_id_family')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['staff_user.id'], name=op.f('fk_family_access_invited_by_id_staff_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_family_access_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_access')),
    sa.UniqueConstraint('person_id', name=op.f('uq_family_access_person_id')),
    sa.UniqueConstraint('invitation_digest', name=op.f('uq_family_access_invitation_digest')),
    )
    with op.batch_alter_table('family_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_access_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_access_email_bidx'), ['email_bidx'], unique=False)

    op.create_table('family_sign_in_code',
    sa.Column('access_id', sa.Uuid(), nullable=False),
    sa.Column('email_bidx', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wrong_tries', sa.Integer(), server_default='0', nullable=False),
    sa.Column('for_invitation', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['access_id'], ['family_access.id'], name=op.f('fk_family_sign_in_code_access_id_family_access')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_sign_in_code')),
    )
    with op.batch_alter_table('family_sign_in_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_sign_in_code_access_id'), ['access_id'], unique=False)
        batch_op.create_index('ix_family_sign_in_code_email_bidx_created_at', ['email_bidx', 'created_at'], unique=False)

    op.create_table('family_section_release',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('section_key', sa.String(length=40), nullable=False),
    sa.Column('released_by_id', sa.Uuid(), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_family_section_release_family_id_family')),
    sa.ForeignKeyConstraint(['section_key'], ['section_definition.key'], name=op.f('fk_family_section_release_section_key_section_definition')),
    sa.ForeignKeyConstraint(['released_by_id'], ['staff_user.id'], name=op.f('fk_family_section_release_released_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_section_release')),
    sa.UniqueConstraint('family_id', 'section_key', name=op.f('uq_family_section_release_family_id_section_key')),
    )
    with op.batch_alter_table('family_section_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_section_release_family_id'), ['family_id'], unique=False)

    op.create_table('family_proposal',
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('section_key', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('based_on_version', sa.Integer(), nullable=False),
    sa.Column('text_ct', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reply_ct', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_version', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_user.id'], name=op.f('fk_family_proposal_decided_by_id_staff_user')),
    sa.ForeignKeyConstraint(['family_id'], ['family.id'], name=op.f('fk_family_proposal_family_id_family')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_family_proposal_person_id_person')),
    sa.ForeignKeyConstraint(['section_key'], ['section_definition.key'], name=op.f('fk_family_proposal_section_key_section_definition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_proposal')),
    )
    with op.batch_alter_table('family_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_proposal_family_id'), ['family_id'], unique=False)

    with op.batch_alter_table('voice_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('recorded_by_person_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_voice_entry_recorded_by_person_id_person'), 'person',
                                    ['recorded_by_person_id'], ['id'])

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_by_person_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_withdrawn_by_person_id_person'), 'person',
                                    ['withdrawn_by_person_id'], ['id'])
    _consent_trigger(("withdrawn_at", "withdrawn_by_id", "withdrawn_by_person_id"))


def downgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_withdrawn_by_person_id_person'), type_='foreignkey')
        batch_op.drop_column('withdrawn_by_person_id')
    _consent_trigger(("withdrawn_at", "withdrawn_by_id"))
    with op.batch_alter_table('voice_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_voice_entry_recorded_by_person_id_person'), type_='foreignkey')
        batch_op.drop_column('recorded_by_person_id')
        batch_op.drop_column('confidential')
    op.drop_table('family_proposal')
    op.drop_table('family_section_release')
    op.drop_table('family_sign_in_code')
    op.drop_table('family_access')
