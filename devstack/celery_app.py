"""The stand-in LMS's Celery app: tasks run eagerly in the web process unless a broker is named.

Not named ``celery.py``: ``devstack/manage.py`` puts this folder first on ``sys.path``, where such a
module would hide the celery package itself.

Set ``RAQMYA_CELERY_BROKER_URL`` (for example ``redis://127.0.0.1:6379/0``, the broker Tutor uses) to
queue tasks for a worker started with ``celery -A devstack.celery_app worker``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devstack.settings.lms")

BROKER_URL = os.environ.get("RAQMYA_CELERY_BROKER_URL", "")

app = Celery("devstack", include=["raqmya_reports.tasks", "raqmya_reports.delivery.tasks"])
app.conf.update(
    broker_url=BROKER_URL or "memory://",
    # Without a broker every task runs at once, in the caller, as in a devstack without workers.
    task_always_eager=not BROKER_URL,
    task_eager_propagates=True,
    result_backend=None,
    worker_hijack_root_logger=False,
)
app.set_default()


def _beat_defaults():
    """Return Celery beat's schedule from CELERY_BEAT_SCHEDULE, which the plugin settings extend."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    return {"beat_schedule": settings.CELERY_BEAT_SCHEDULE}


# Read once the settings are loaded, not when this module is imported from them.
app.add_defaults(_beat_defaults)
