"""The translators' queue: every translatable page and snippet × target language, with its
status, built on wagtail-localize's models (docs/localisation.md)."""
