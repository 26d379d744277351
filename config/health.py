"""/healthz and /metrics: for operations, outside the app's logins.

/healthz is for a load balancer and for docker-compose: 200 when every check of
config/checks.py holds, 503 when one does not, with a JSON body naming each check's state.
Anyone may ask (no session, no login); it shows no address, host or secret, only states,
counts and ages, and never a cached answer.

/metrics is Prometheus' (django-prometheus' exposition, with the reminders' collector of
reminders/metrics.py): open to the networks METRICS_ALLOWED_NETWORKS lists (with DEBUG on,
`make run`, this machine) and to a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView

from config import checks as health
from people.logins import client_address


@require_safe
@transaction.non_atomic_requests  # a database that is down is a failed check, not an error
def healthz(request):
    """200 if every check holds, else 503; the JSON body names each check's state."""
    checks = health.run_checks()
    healthy = all(check.ok for check in checks)
    response = JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "checks": {check.name: check.as_dict() for check in checks},
        },
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)  # Cache-Control: no-store: every answer is fresh
    return response


def may_read_metrics(request) -> bool:
    """The scraper sends the bearer token METRICS_TOKEN, or asks from an allowed network (the
    client's address as people.logins.client_address reads it)."""
    token = settings.METRICS_TOKEN
    if token and constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return True
    try:
        address = ipaddress.ip_address(client_address(request) or "")
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@require_safe
@transaction.non_atomic_requests
def metrics(request):
    """Prometheus' text format, for a scraper that may read it (403 for anyone else)."""
    if not may_read_metrics(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    response = ExportToDjangoView(request)
    add_never_cache_headers(response)
    return response
