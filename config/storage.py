"""WhiteNoise's compressed, hashed static files, with each URL looked up once.

`{% static %}` asks the storage for a file's hashed URL on every use: a manifest lookup,
name cleaning and URL quoting, six times a page in base.html alone. The manifest is read
once at start and never changes while the process runs, so neither does a URL.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            # A missing file raises here, as before, and is not remembered.
            url = self._urls[name] = super().url(name)
        return url
