"""An uploaded uppdragshandling waiting for the registrar's confirmation: kept in the private
document storage under a random name (`imports/<random>.<ext>`) that only the uploader's
session knows, read back on the review page, removed when the draft is saved. A file nobody
confirmed (the tab was closed) is swept on a later upload once PENDING_UPLOAD_HOURS have
passed; until then it is as private as any delivery document (no URL serves the storage).

These are copies awaiting a decision, not records: removing them deletes no allmän handling
(the saved draft keeps its own copy as its source document)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from assignments import storage

SESSION_KEY = "uppdrag_pending_imports"
DIRECTORY = "imports"
PENDING_UPLOAD_HOURS = 24


def keep(request, data: bytes, filename: str) -> str:
    """Store the file and return the token the review page's address carries."""
    store = storage.document_storage()
    name = store.save(storage.stored_name(DIRECTORY, filename), ContentFile(data))
    token = secrets.token_urlsafe(16)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"name": name, "filename": filename, "user": request.user.pk}
    request.session[SESSION_KEY] = pending
    return token


def get(request, token: str) -> tuple[bytes, str] | None:
    """The file's bytes and original name, if this session uploaded it (and it is still
    there)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("user") != request.user.pk:
        return None
    store = storage.document_storage()
    try:
        with store.open(entry["name"], "rb") as file:
            return file.read(), entry["filename"]
    except FileNotFoundError:
        return None


def forget(request, token: str) -> None:
    """The draft is saved (with its own copy): drop the waiting file."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        storage.document_storage().delete(entry["name"])


def sweep(now: dt.datetime | None = None) -> int:
    """Remove waiting files older than PENDING_UPLOAD_HOURS; returns how many."""
    store = storage.document_storage()
    limit = (now or timezone.now()) - dt.timedelta(hours=PENDING_UPLOAD_HOURS)
    try:
        _dirs, files = store.listdir(DIRECTORY)
    except FileNotFoundError:
        return 0
    removed = 0
    for file in files:
        name = f"{DIRECTORY}/{file}"
        if store.get_modified_time(name) < limit:
            store.delete(name)
            removed += 1
    return removed
