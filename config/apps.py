from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class UppdragStaticFilesConfig(StaticFilesConfig):
    """viewflow ships a stray copy of roboto-fontface under node_modules/ whose CSS names fonts
    that are not there; collectstatic's hashing storage fails on it. Our pages use the copy one
    level up, so the stray one is left out."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]


class OperationsConfig(AppConfig):
    """The site as a whole: its health checks and their `manage.py healthcheck`."""

    name = "config"
    label = "operations"
    verbose_name = "Drift"
