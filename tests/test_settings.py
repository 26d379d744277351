from tests.settings_probe import evaluated_under


def test_an_empty_database_url_means_the_embedded_default():
    engine = 'settings.DATABASES["default"]["ENGINE"]'
    imports = "from django.conf import settings"
    assert evaluated_under({"DATABASE_URL": ""}, engine, imports) == "django.db.backends.sqlite3"
    assert (
        evaluated_under(
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}, engine, imports
        )
        == "django.db.backends.postgresql"
    )
