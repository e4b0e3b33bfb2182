from celery import shared_task


@shared_task(name="portal.complaints.run_clock")
def run_clock():
    """Escalate overdue complaints to Torch staff and close resolved ones whose time is up."""
    from .services import run_clock as run

    escalated, closed = run()
    return {"escalated": escalated, "closed": closed}
