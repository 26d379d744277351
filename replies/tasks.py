"""Celery entry point: beat polls the reply mailbox every minute (migration 0002)."""

from celery import shared_task

from . import mailbox


@shared_task(name="replies.poll", ignore_result=True)
def poll_replies() -> int:
    return mailbox.poll()["handled"]
