from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """What a public body must keep: e-arkiv packages, gallring, the accessibility statement
    and the audit trail's export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = _("Arkiv och gallring")
