"""Skip or stop: what the suite does when a part the marked tests need is missing."""

from pathlib import Path

from tests.availability import browser_missing, plan

AXE_MISSING = "axe-core not found at /nowhere/axe.min.js (run `npm ci`)"


def test_it_skips_browser_tests_with_the_reason_when_axe_core_is_missing():
    decided = plan({"browser": 3, "postgres": 2}, {"browser": AXE_MISSING}, require_all=False)
    assert decided.error is None
    assert decided.skips == {"browser": f"needs browser: {AXE_MISSING}"}


def test_it_stops_the_run_when_axe_core_is_missing_and_everything_is_required():
    decided = plan({"browser": 3}, {"browser": AXE_MISSING}, require_all=True)
    assert decided.error is not None
    assert "ATTUNE_REQUIRE_ALL=1" in decided.error and "axe-core" in decided.error and "3 tests" in decided.error
    assert decided.skips == {}


def test_it_runs_everything_when_nothing_is_missing():
    assert plan({"browser": 3, "redis": 1}, {}, require_all=True).error is None
    assert plan({"browser": 3, "redis": 1}, {}, require_all=False).skips == {}


def test_it_ignores_a_missing_part_no_collected_test_needs():
    # `pytest tests/core` on a machine without Redis is fine, even in CI mode.
    decided = plan({"browser": 1}, {"redis": "REDIS_URL is not set"}, require_all=True)
    assert decided.error is None and decided.skips == {}


def test_it_finds_the_browser_missing_without_chromium_or_without_axe_core(tmp_path: Path):
    axe = tmp_path / "axe.min.js"
    assert "Chromium not found" in (browser_missing("/nowhere/chromium", axe) or "")
    assert "axe-core not found" in (browser_missing("sh", axe) or "")  # any executable stands in for Chromium
    axe.write_text("window.axe = {};")
    assert browser_missing("sh", axe) is None
