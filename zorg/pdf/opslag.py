"""Where finished PDFs wait for their download: a directory of its own
under MEDIA_ROOT (which no URL serves), a random file name per job. Only
the download view, which asks the policy first, reads from it."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def opslag() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "pdf", base_url=None)
