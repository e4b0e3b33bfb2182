"""What the api app holds about a person (``accounts.privacy``): the Torch staff who issued or
revoked a partner key. The key's contact e-mail is the partner organisation's."""

from accounts.privacy import KEEP, register_model


def register():
    register_model("api.ApiKey", user_fields=["created_by", "revoked_by"], erase=KEEP,
                   reason="a partner's key issued by Torch staff; the row points at the "
                          "anonymised account", exclude=["key_hash"])
