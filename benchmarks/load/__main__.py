"""``python -m benchmarks.load``: run the load test."""

import sys

from .run import main

sys.exit(main())
