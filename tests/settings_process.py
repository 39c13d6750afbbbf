"""Read newsroom/settings.py as a fresh process would under a given environment: settings are
computed once at start-up, so the only honest test of an environment variable is a new process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_under(environment: dict, expression: str):
    """The JSON value of `expression` (Python, with `settings` in scope) in a new process
    started with newsroom.settings and `environment` added to this one's."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **environment}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
