"""Draw the app icons (PNG, 192 and 512) from static/icons/icon.svg, in Chromium.

The PNGs are committed: `python -m tests.make_icons` after changing icon.svg. Chromium
(through Playwright, which the browser tests use already) renders the SVG exactly as a
browser shows it, and needs no image library of its own.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
SIZES = (192, 512)


def main() -> None:
    svg = (ICONS / "icon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                f"<html><body style='margin:0'><img src='data:image/svg+xml,{svg.replace('#', '%23')}' "
                f"width='{size}' height='{size}' style='display:block'></body></html>"
            )
            page.screenshot(path=str(ICONS / f"icon-{size}.png"), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
