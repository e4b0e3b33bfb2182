import factory

from audit import services
from audit.models import ActivityLog


class ActivityLogFactory(factory.Factory):
    """An entry appended to the chain like any other; ``timestamp`` may be set to build old
    entries (create them oldest first, as time runs)."""

    class Meta:
        model = ActivityLog

    action = "portal.test.touch"
    actor = None
    actor_label = factory.LazyAttribute(
        lambda o: services.actor_label_for(o.actor) if o.actor else services.SYSTEM_LABEL
    )
    obj = None
    from_state = ""
    to_state = ""
    data = factory.Dict({})
    ip_address = None
    result = "success"
    timestamp = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services._append(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("audit entries only exist in the chain; use create()")
