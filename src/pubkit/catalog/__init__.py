"""Messages → catalogs: reading and writing PO files, merge, memory, XLIFF, checks and status.

Imports nothing: each module is imported on its own, so that a no-op build stays light.
"""
