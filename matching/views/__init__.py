"""Matching pages, one module per group of pages (see matching/urls.py)."""
