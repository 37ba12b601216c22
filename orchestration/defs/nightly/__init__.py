"""The nightly governance run: its job, its 02:00 schedule and the new-export sensor.

A composition, like ``orchestration/defs/resources.py``: the job selects every other domain's
assets and attaches reporting's failure hook, so this package may import other domains (and
``tests/test_domain_boundaries.py`` allows it); no domain may import it.
"""
