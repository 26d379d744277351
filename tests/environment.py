"""The environment the test suite runs in: a pytest plugin (`-p tests.environment` in
pyproject.toml), imported before pytest-django loads the settings, so that the settings and
every process a test starts (a Celery worker, a settings probe) read the same variables.

- SECRET_KEY: generated for this run unless one is set. The suite runs with DEBUG off, where
  the settings refuse to load without a key, and no key is committed.
- PLAIN_HTTP: Django's test client and live server speak http, so no redirect to https.
  Production keeps it; tests/test_settings.py checks that in a process without this override.
  Secure-only cookies stay on: the test client sends them anyway, and Chromium counts the live
  server's http://localhost as a secure origin.
- WHITENOISE_USE_FINDERS: the browser tests load the pages' CSS, fonts and scripts as a server
  does; the suite runs no collectstatic, so WhiteNoise serves them from the apps' folders.
"""

import os
import secrets

PLAIN_HTTP = {"SECURE_SSL_REDIRECT": "false"}

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.update(PLAIN_HTTP)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
