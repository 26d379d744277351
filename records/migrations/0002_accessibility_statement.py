"""The accessibility statement as Uppdrag ships it: what the project knows of the service. The
registrar completes it (contact, the region's own assessment) in the admin."""

import datetime as dt

from django.db import migrations

SHORTCOMINGS_SV = (
    "Vi känner inte till några brister mot WCAG 2.1 nivå AA. Den automatiska granskningen "
    "(axe-core) går igenom varje sida i mobil- och datorformat för varje roll, men ett verktyg "
    "hittar inte alla brister: tjänsten har inte granskats manuellt av en extern part. Bifogade "
    "dokument (slutleveranser) är som de laddades upp och kan vara otillgängliga."
)
SHORTCOMINGS_EN = (
    "We know of no failure to meet WCAG 2.1 level AA. The automated check (axe-core) walks every "
    "page at phone and laptop sizes for every role, but a tool does not find every failure: the "
    "service has not been assessed manually by an outside party. Attached documents (final "
    "deliveries) are as they were uploaded and may not be accessible."
)
FEEDBACK_SV = (
    "Om du upptäcker problem som inte beskrivs här, eller om du behöver innehåll i ett annat "
    "format, kontakta registraturen. Vi svarar inom två arbetsdagar."
)
FEEDBACK_EN = (
    "If you find a problem not described here, or need content in another format, contact the "
    "registry. We answer within two working days."
)
METHOD_SV = (
    "Självskattning: en automatisk genomgång med axe-core av varje sida, som varje roll ser den, "
    "i 390 px mobilformat och i datorformat, samt test med tangentbord."
)
METHOD_EN = (
    "Self-assessment: an automated walk with axe-core of every page, as each role sees it, at a "
    "390 px phone size and at laptop size, and testing by keyboard."
)


def create_statement(apps, schema_editor):
    Statement = apps.get_model("records", "AccessibilityStatement")
    if not Statement.objects.exists():
        Statement.objects.create(
            compliance="partial",
            shortcomings_sv=SHORTCOMINGS_SV,
            shortcomings_en=SHORTCOMINGS_EN,
            feedback_sv=FEEDBACK_SV,
            feedback_en=FEEDBACK_EN,
            method_sv=METHOD_SV,
            method_en=METHOD_EN,
            published_on=dt.date(2026, 12, 7),
        )


class Migration(migrations.Migration):

    dependencies = [("records", "0001_gallring_and_accessibility")]

    operations = [migrations.RunPython(create_statement, migrations.RunPython.noop)]
