"""Catalogs → localized HTML and PDF: formatting, typography, templates, layout and WeasyPrint.

Imports nothing: each module is imported on its own, so that a no-op build stays light.
"""
