"""Settings are read once per process: to see what an environment variable makes of them, a
test asks a fresh Python process with that environment."""

import os
import subprocess
import sys


def evaluated_under(env: dict[str, str], expression: str, imports: str = "") -> str:
    """What `expression` prints after django.setup() in a process with `env` added."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {imports}; print({expression})"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()
