"""Production settings plus a bench-only URLconf (the signed-in floor). Used only by
tests/bench/pages.py; production URLs never include the floor."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
STATIC_ROOT = Path(os.environ.get("ATTUNE_BENCH_STATIC_ROOT", BASE_DIR / "var" / "bench-static"))  # noqa: F405
