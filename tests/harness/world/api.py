"""The open-data API: a partner's key."""


def api_key(issuer):
    """A partner's key of the open-data API (issued by Torch staff)."""
    from api.models import ApiKey

    return ApiKey.objects.create(partner="合作媒体", prefix="matrix01", key_hash="0" * 64,
                                 created_by=issuer)
