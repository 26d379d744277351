"""Celery entry points of documents: reading an uploaded uppdragshandling (import_jobs)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from documents import import_jobs
from documents.models import ImportJob


# Not acks_late: a message whose job took its worker down must not come back to do it again.
# The read itself runs in a child process with its own limits (import_jobs.read_isolated); the
# task's time limits (a prefork pool's) are the backstop should the task itself hang.
@shared_task(
    name=import_jobs.READ_TASK,
    ignore_result=True,
    acks_late=False,
    soft_time_limit=settings.IMPORT_TIME_LIMIT + 30,
    time_limit=settings.IMPORT_TIME_LIMIT + 60,
)
def read_import(job_id: int) -> None:
    try:
        import_jobs.run(job_id)
    except SoftTimeLimitExceeded:
        job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
        if job is not None:
            import_jobs.stop(job, {"code": "time", "limit": settings.IMPORT_TIME_LIMIT})
