"""The devstack's WSGI application with its workbench scenarios loaded before gunicorn forks its workers.

xblock-sdk keeps the map from usage ids to blocks in each process's memory and fills it on the
first page view. Loading it once in gunicorn's master (``--preload``) gives every worker the same
map, so a handler call that lands on a worker which has not rendered a page yet still finds its block,
and workers do not rewrite the scenario rows in the database at the same time.
"""

import logging
import sys

from devstack.wsgi import application  # sets Django up; the imports below need it
from django.db import connections  # isort: skip  pylint: disable=wrong-import-order
from workbench.scenarios import get_scenarios  # isort: skip  pylint: disable=wrong-import-order

# Without debug pages Django logs a 500's traceback only to its own logger: send it to the server log.
_errors = logging.StreamHandler(sys.stderr)
_errors.setLevel(logging.ERROR)
logging.getLogger("django.request").addHandler(_errors)

get_scenarios()
# The workers must not share the master's database connection.
connections.close_all()

__all__ = ["application"]
