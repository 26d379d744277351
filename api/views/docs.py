"""The OpenAPI 3 schema and Swagger UI: open to everyone, they describe the API and show no
data. Swagger UI's own files come from drf-spectacular-sidecar, served from our origin, and its
start script from a URL of its own (drf-spectacular's split view): the site's Content Security
Policy allows no script from elsewhere and no inline script."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from .base import InLanguage


class Schema(InLanguage, SpectacularAPIView):
    permission_classes = [AllowAny]


class SwaggerUI(InLanguage, SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    # drf-spectacular's page without its inline <style> block, which the CSP refuses
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Uppdrag API"
