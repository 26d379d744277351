"""The site's URLs plus one bare page, the benchmark's yardstick (bench/pages.py only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
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


SHELL = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Uppdrag</h1><p>En tom sida.</p>{% endblock %}'
)


@require_GET
@login_required
def shell(request):
    """An empty page in the shared layout (menu, bell, language switch): what every page costs
    before its own content (bench/_profile.py only)."""
    return HttpResponse(SHELL.render({}, request))


urlpatterns = [path("_bench/bare/", bare), path("_bench/shell/", shell), *site_urlpatterns]
