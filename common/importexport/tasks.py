from celery import shared_task

from . import services
from .storage import purge_stale_tmp_files


@shared_task(name="portal.importexport.run_import")
def run_import(*, job_id):
    """Run one import job; a job already claimed or finished is left alone."""
    return services.run_job(job_id)


@shared_task(name="portal.importexport.requeue_stale_jobs")
def requeue_stale_jobs():
    return services.requeue_stale_jobs()


@shared_task(name="portal.importexport.purge_tmp_files")
def purge_tmp_files():
    return purge_stale_tmp_files()
