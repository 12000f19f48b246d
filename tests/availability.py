"""What the marked tests need, whether this machine has it, and what follows if not.

Tests marked `postgres`, `redis` or `browser` need that part. Plain `make test` skips
them, each with the reason and the fix; under ATTUNE_REQUIRE_ALL=1 (CI) a missing part
stops the run instead, so nothing is skipped there by accident.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NEEDS = ("postgres", "redis", "browser")


def browser_missing(chromium: str = CHROMIUM, axe_path: Path = AXE_PATH) -> str | None:
    """Why the browser journeys cannot run here, or None: they need both parts."""
    if shutil.which(chromium) is None:
        return f"Chromium not found at {chromium} (apt-get install chromium)"
    if not axe_path.is_file():
        return f"axe-core not found at {axe_path} (run `npm ci`)"
    return None


@dataclass
class Plan:
    """What to do with the collected tests: stop the run, or skip some with a reason."""

    error: str | None = None
    skips: dict[str, str] = field(default_factory=dict)  # need -> reason


def plan(wanted: dict[str, int], missing: dict[str, str], *, require_all: bool) -> Plan:
    """`wanted`: how many collected tests need each part; `missing`: part -> why it is missing."""
    lacking = {need: reason for need, reason in missing.items() if wanted.get(need)}
    if not lacking:
        return Plan()
    if require_all:
        parts = "; ".join(f"{need} for {wanted[need]} tests: {reason}" for need, reason in lacking.items())
        return Plan(error=f"ATTUNE_REQUIRE_ALL=1 but these are not available: {parts}")
    return Plan(skips={need: f"needs {need}: {reason}" for need, reason in lacking.items()})
