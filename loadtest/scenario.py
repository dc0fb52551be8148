"""The scenario's shape, read by locustfile.py, which simulates it, and by run.py, which makes and signs in
its accounts and prints its ceiling. No locust import here: run.py is not a gevent process."""

from __future__ import annotations

# The staff roles by the demo account each simulated officer copies, and each role's weight; the public's.
STAFF_WEIGHTS = {"canbo": 5, "chuyenvien": 3, "chutich": 1}
PUBLIC_WEIGHT = 2
# Seconds every simulated user waits after an answer (uniformly between the two).
WAIT_SECONDS = (1, 5)
