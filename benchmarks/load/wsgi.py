"""The devstack's WSGI application with its workbench scenarios loaded before gunicorn forks its workers.

xblock-sdk keeps the map from usage ids to blocks in each process's memory and fills it on the
first page view. This module loads it once in gunicorn's master (``--preload``), so every worker
gets the same map. A handler call that lands on a worker which has not rendered a page yet still
finds its block. Workers also do not rewrite the scenario rows in the database at the same time.
"""

import logging
import sys

from django.db import connections

from devstack.wsgi import application


def _load_scenarios() -> None:
    """Load the workbench scenarios, then close the database connections so no worker inherits one."""
    # Importing the workbench needs Django's app registry, which importing devstack.wsgi fills.
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel

    get_scenarios()
    connections.close_all()


# Without debug pages Django logs a 500's traceback only to its own logger: send it to the server log.
_errors = logging.StreamHandler(sys.stderr)
_errors.setLevel(logging.ERROR)
logging.getLogger("django.request").addHandler(_errors)

_load_scenarios()

__all__ = ["application"]
