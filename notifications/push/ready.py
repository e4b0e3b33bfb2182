"""What the push adds when the notifications app is ready (``NotificationsConfig.ready``)."""


def ready():
    # Importing the tasks registers them with the Celery worker.
    from . import privacy, tasks, workspace  # noqa: F401

    workspace.register()
    privacy.register()
