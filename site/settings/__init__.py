"""Settings: `base` holds what every environment shares; `dev`, `test` and `production` adjust it.

Everything that differs between installations is read from environment variables, documented in
docs/configuration.md.
"""
