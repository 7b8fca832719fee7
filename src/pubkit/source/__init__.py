"""A release → messages and typed values (sources, values, inline, embargo).

Imports nothing: each module is imported on its own, so that a no-op build stays light.
"""
