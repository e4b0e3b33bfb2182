from celery import shared_task


@shared_task(name="portal.dashboards.refresh_snapshots")
def refresh_snapshots(*, user_id=None):
    """Count the national dashboard's figures again (every 10 minutes on Celery beat, or when
    Torch staff ask): one snapshot row per breakdown. Counted in the scope of Torch staff (the
    one asking, or any active one); with none there is nobody to show them to."""
    from django.contrib.auth import get_user_model

    from accounts.enums import RoleCode

    from .summary import refresh

    users = get_user_model().objects.filter(roles__code=RoleCode.TORCH_STAFF, is_active=True)
    user = (users.filter(pk=user_id).first() if user_id else None) or users.order_by("pk").first()
    if user is None:
        return {"seconds": None}
    return {"seconds": refresh(user)}
