"""Browser journeys: Debian's Chromium driven by Playwright, against `live_server`.

Every page runs under the site's real Content Security Policy (never `bypass_csp`):
a CSP violation, or any other console error or uncaught exception, fails the test.
Accessibility is checked with axe-core, evaluated into the page (a <script> tag would
be refused by the CSP). `npm ci` installs axe-core into node_modules/. Without Chromium
or axe-core these tests are skipped, or stop the run under ATTUNE_REQUIRE_ALL=1
(tests/availability.py).
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.availability import AXE_PATH, CHROMIUM, ROOT

# The live server runs in a thread of this process while Playwright's sync API runs an
# event loop in the test thread: Django would otherwise refuse ORM calls from the test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = ROOT / "var" / "screenshots"

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never `playwright install` (it downloads a browser).
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- Console: CSP violations and errors fail the test --------------------------------


def _is_csp(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("Refused to")


def _is_missing_favicon(text: str, url: str) -> bool:
    return url.split("?", 1)[0].endswith("/favicon.ico") and "404" in text


@dataclass
class Console:
    """What one browser context printed: every message, and the ones that fail a test."""

    label: str
    messages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        url = (message.location or {}).get("url", "")
        line = f"[{self.label}] console.{message.type}: {message.text} ({url})"
        self.messages.append(line)
        if _is_csp(message.text):
            self.problems.append("CSP violation " + line)
        elif message.type == "error" and not _is_missing_favicon(message.text, url):
            self.problems.append(line)

    def on_page_error(self, error) -> None:
        line = f"[{self.label}] uncaught exception: {error}"
        self.messages.append(line)
        self.problems.append(line)

    def assert_clean(self) -> None:
        assert not self.problems, "Browser console reported problems:\n" + "\n".join(self.problems)


@pytest.fixture
def phone(browser):
    """Factory: `page = phone("alice")` opens a page in a fresh phone-sized context
    (`phone("uma", timezone_id="Asia/Tokyo")` for a phone elsewhere).

    Each page gets `page.console` (a Console); all are checked again at teardown.
    """
    opened = []

    def open_phone(label: str, **context_options):
        context = browser.new_context(**PHONE, **context_options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        console = Console(label)
        page.on("console", console.on_console)
        page.on("pageerror", console.on_page_error)
        page.console = console
        opened.append((context, console))
        return page

    yield open_phone
    for context, _ in opened:
        context.close()
    for _, console in opened:
        console.assert_clean()


# --- Accessibility ------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` in {ROOT}")
    return AXE_PATH.read_text()


_SETTLE = """async () => {
  // Let entrance animations finish so colour contrast is measured on the final frame.
  const finite = document.getAnimations().filter(
    (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => null)));
}"""

_RUN_AXE = """async () => {
  const results = await axe.run();
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  * {json.dumps(node['target'])}")
            lines.append(f"    {node['html']}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


@pytest.fixture
def check_page(axe_source):
    """`check_page(page, "what")`: zero axe violations and a clean console, under CSP."""

    def check(page, where: str) -> None:
        page.evaluate(_SETTLE)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        violations = page.evaluate(_RUN_AXE)
        assert not violations, format_violations(f"{where} ({page.url})", violations)
        page.console.assert_clean()

    return check


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
