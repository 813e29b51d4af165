"""Load test of the assessment block on the devstack: gunicorn workers, MariaDB, simulated learners.

``make load`` (``python -m benchmarks.load``) creates its own MariaDB database. It serves the
devstack with several gunicorn worker processes on 127.0.0.1. A fixed number of learners run for a
fixed time against an assessment scenario, then against xblock-sdk's thumbs block. The run checks
the stored attempts and grades and prints the figures. Then it drops the database and stops the server.
"""
