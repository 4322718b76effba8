"""Fixtures of the partnerships tests (factories: factories.py, form helpers: helpers.py).

The forms' limits count in the database (partnerships/limits.py), which every test starts
afresh: nothing to reset here."""
