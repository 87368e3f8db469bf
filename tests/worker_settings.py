"""Production settings for the fault tests' worker process
(tests/processen.py), with one change: Redis is scanned for tasks a dead
worker left unacknowledged every second instead of about every 100 s (kombu's
default), so a test sees the redelivery right after the visibility timeout."""

from zorg.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
