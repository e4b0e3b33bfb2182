"""How Django admin scopes the audit trail (declared for the permission matrix, see
``common.permission_matrix``): Torch Center staff read it, nobody changes it."""

from common.permission_matrix import AdminModel

ADMIN = {
    "ActivityLog": AdminModel(scope="torch"),
}
