"""The nightly governance run: its job, its 02:00 schedule and the new-export sensor."""
