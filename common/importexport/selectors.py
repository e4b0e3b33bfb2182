from .models import ImportJob


def jobs_of(user):
    """The user's own import jobs, newest first; nobody sees another user's jobs."""
    return ImportJob.objects.filter(user=user).order_by("-created_at", "-pk")
