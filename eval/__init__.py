"""Evaluation set and runner: ``python -m eval`` (see eval/README.md)."""
