"""The site's URLs plus one bare page, the benchmark's yardstick (bench/pages.py only)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as site_urlpatterns

BARE_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Uppdrag</title></head>
<body><main><h1>Uppdrag</h1><p>En statisk sida.</p></main></body></html>
"""


@require_GET
def bare(request):
    """A Django view through the same middleware that renders a static page."""
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("_bench/bare/", bare), *site_urlpatterns]
