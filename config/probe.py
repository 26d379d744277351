"""docker-compose's health check of web: `python config/probe.py [URL]` exits 0 when /healthz
answers 200, 1 otherwise (printing its answer).

The standard library only, run as a file (not `-m config.probe`, which would load Celery and
Django first): the image has no curl. The request names the site's first ALLOWED_HOSTS entry
as its Host, since Django refuses any other, and it goes over plain http inside the container
(settings.SECURE_REDIRECT_EXEMPT spares /healthz the redirect to https).
"""

import http.client
import os
import sys
from urllib.parse import urlsplit


def host_header() -> str:
    """A name ALLOWED_HOSTS accepts: its first entry (".example.se" accepts "example.se")."""
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    return "localhost" if first in ("", "*") else first


def main(url: str = "http://127.0.0.1:8000/healthz") -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": host_header()})
        response = connection.getresponse()
        print(response.status, response.read(2000).decode(errors="replace"))
        return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"{type(error).__name__}: {error}")
        return 1
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
