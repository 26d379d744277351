"""Where a page's time goes, in-process, against the databases `bench/pages.py` built (not a
benchmark: `make bench` skips files starting with _).

    .venv/bin/python bench/_profile.py [page ...] [--profile] [--n 40] [--small]

Pages: start, assignment, portfolio, bare, shell (an empty page in the shared layout). For each
page it prints the median wall and CPU time of n requests through the whole middleware stack
(Django's test client, logged in as the person `bench/pages.py` measures) and the query count;
with --profile, cProfile's top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, SECRET_KEY  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument(
    "pages", nargs="*", default=["bare", "shell", "start", "assignment", "portfolio"]
)
parser.add_argument("--profile", action="store_true")
parser.add_argument("--n", type=int, default=40)
parser.add_argument("--small", action="store_true", help="the 1,000-assignment copy")
args = parser.parse_args()

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{PG}/uppdrag_bench_pages{'_small' if args.small else ''}",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
        "ROOT_URLCONF": "bench._urls",
        "CACHE_URL": "redis://127.0.0.1:6379/14",
    }
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assignments.models import Assignment, User  # noqa: E402

# The same person and assignment as bench/pages.py: the second generated person and the second
# generated assignment (both come after the demo's rows).
generated = User.objects.filter(username__startswith="bench").order_by("pk")
person = generated[1]
registrar = User.objects.get(username="registrator")
assignment = Assignment.objects.filter(title__endswith=" om verksamhetsutveckling").order_by("pk")[
    1
]

PAGES = {
    "bare": ("/_bench/bare/", person),
    "shell": ("/_bench/shell/", person),
    "start": ("/", person),
    "assignment": (f"/uppdrag/{assignment.pk}/", person),
    "portfolio": ("/portfolj/", registrar),
}

for name in args.pages:
    url, user = PAGES[name]
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200, (name, url)
    walls, cpus = [], []
    for _ in range(args.n):
        w, c = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"{name:11} wall {statistics.median(walls) * 1000:6.1f} ms  "
        f"cpu {statistics.median(cpus) * 1000:6.1f} ms  queries {len(queries)}"
    )
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.n):
            client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(45)
