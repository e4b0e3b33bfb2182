"""Dashboards: Torch staff's training material and session."""

from django.utils import timezone


def training(users):
    """The training material and session, by name."""
    from dashboards import services as dashboard_services

    training_material = dashboard_services.publish_material(
        actor=users["torch"], title="承办单位工作培训", description="需求征集规范", upload=None)
    training_session = dashboard_services.schedule_session(
        actor=users["torch"], title="线上培训会", description="", starts_at=timezone.now(),
        place="线上")
    return {"training_material": training_material, "training_session": training_session}
