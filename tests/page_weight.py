"""What a phone downloads to open a page cold: the HTML and every stylesheet and script
it links, each gzip-compressed as WhiteNoise serves it (gzip level 9 here; WhiteNoise
also keeps Brotli copies, which are smaller still). Images, the manifest and the icon
are left out: the budget is for HTML, CSS and JS.
"""

import gzip
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

BUDGET_BYTES = 50 * 1024
_LINKED = re.compile(r"""<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"[^>]*>""")


@dataclass
class Weight:
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # url -> (raw, gzipped)

    @property
    def total(self) -> int:
        return sum(gzipped for _, gzipped in self.parts.values())

    def report(self) -> str:
        lines = [f"  {gzipped:>7,} B gzip ({raw:>7,} B raw)  {url}" for url, (raw, gzipped) in self.parts.items()]
        lines.append(f"  {self.total:>7,} B gzip in all; budget {BUDGET_BYTES:,} B")
        return "\n".join(lines)


def _static_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert path, f"{url} is not a static file"
    with open(path if isinstance(path, str) else path[0], "rb") as file:
        return file.read()


def weigh(client: Client, path: str) -> Weight:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    html = response.content
    weight = Weight({path: (len(html), len(gzip.compress(html, 9)))})
    for url in dict.fromkeys(_LINKED.findall(html.decode())):
        body = _static_bytes(url)
        weight.parts[url] = (len(body), len(gzip.compress(body, 9)))
    return weight
