"""Rendered documents → the site and bundle: output paths, the build, site, shards and the review desk.

Imports nothing: each module is imported on its own, so that a no-op build stays light.
"""
