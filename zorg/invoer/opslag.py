"""Where uploaded import files wait for their import: a directory of its
own under MEDIA_ROOT (which no URL serves), a random name per import."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def opslag() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "invoer", base_url=None)
