"""Load test of the assessment block on the devstack: gunicorn workers, MariaDB, simulated learners.

``make load`` (``python -m benchmarks.load``) creates its own MariaDB database, serves the
devstack with several gunicorn worker processes on 127.0.0.1, runs a fixed number of learners
for a fixed time against an assessment scenario and then against xblock-sdk's thumbs block,
checks the stored attempts and grades, prints the figures, drops the database and stops the server.
"""
