"""Special-category lexicons (policy as data) and their loader; see README.md."""
