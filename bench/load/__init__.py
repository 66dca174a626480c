"""The load benchmark: a Locust scenario of real journeys against gunicorn, PostgreSQL, Redis and
Celery on this machine (issue 15). `python -m bench.load.run --help` starts here."""
