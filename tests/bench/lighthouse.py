"""`make bench BENCH=lighthouse`: Lighthouse's mobile audit of /today/, signed in.

A throwaway SQLite database in a temporary VAR_DIR is migrated and seeded with a couple;
gunicorn serves it with production settings (DEBUG=0, WhiteNoise's hashed, compressed
static files) and Lighthouse (npm `lighthouse`, installed by `npm ci`) runs headless
Chromium at its default mobile emulation and throttling, carrying alice's session
cookie. Targets (issue 10): performance >= 95, accessibility 100.

Lighthouse 12 dropped its installability audits (the PWA category); the browser test
tests/e2e/test_phone_app.py asks Chromium itself (Page.getInstallabilityErrors).
Compression of HTML is Caddy's job in the compose stack, so gunicorn alone serves it
plain and Lighthouse's text-compression audit notes it; static files are compressed.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.local import free_port, process_group, run_step

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
TARGETS = {"performance": 0.95, "accessibility": 1.0}


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is missing at {LIGHTHOUSE}: run `npm ci` in {ROOT}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="attune-lighthouse-") as var:
        env = {
            **os.environ,
            "SECRET_KEY": "lighthouse-bench",
            "DEBUG": "0",
            "VAR_DIR": var,
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DOMAIN": "",
        }
        for step in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0"], ["load_prompts"]):
            subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True)
        session = run_step("tests.bench.lighthouse_seed", env=env)["session"]
        log = Path(var) / "gunicorn.log"
        with (
            log.open("w") as out,
            process_group(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{port}",
                    "--workers=2",
                ],
                env,
                out,
            ),
        ):
            _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
            report = Path(var) / "today.json"
            subprocess.run(
                [
                    str(LIGHTHOUSE),
                    f"http://127.0.0.1:{port}/today/",
                    "--quiet",
                    "--only-categories=performance,accessibility,best-practices",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    "--extra-headers=" + json.dumps({"Cookie": f"sessionid={session}"}),
                    "--output=json",
                    f"--output-path={report}",
                ],
                cwd=ROOT,
                env={**env, "CHROME_PATH": CHROMIUM},
                check=True,
                timeout=300,
            )
            result = json.loads(report.read_text())
    scores = {name: category["score"] for name, category in result["categories"].items()}
    audits = result["audits"]
    print(f"Lighthouse {result['lighthouseVersion']}, mobile, /today/ signed in")
    for name, score in scores.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("  ok" if score >= target else f"  BELOW {round(target * 100)}")
        print(f"  {name:<15} {round(score * 100):>3}{verdict}")
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "total-byte-weight"):
        print(f"  {audit:<25} {audits[audit].get('displayValue', '')}")
