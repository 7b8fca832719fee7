"""pubkit: write a release once in Markdown, translate it with gettext, publish it in every language.

This module is the index of the public API, in the order data flows (source → messages → catalogs).
Names are imported on first use, so that ``import pubkit`` and ``pubkit --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    # errors: every problem carries its file and line
    "PubkitError": "errors",
    "ConfigError": "errors",
    "SourceError": "errors",
    "CatalogError": "errors",
    "TemplateError": "errors",
    "UsageError": "errors",
    # the project and its configuration
    "Project": "config",
    "load_project": "config",
    "normalize_language": "locales",
    # sources → messages
    "Message": "source.sources",
    "Source": "source.sources",
    "read_source": "source.sources",
    "read_sources": "source.sources",
    # messages → catalogs
    "extract": "catalog.catalogs",
    "init_language": "catalog.catalogs",
    "update": "catalog.catalogs",
    "read_catalog": "catalog.pofile",
    "merge": "catalog.merge",
    # progress
    "CatalogStatus": "catalog.status",
    "status": "catalog.status",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pubkit' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .catalog.catalogs import extract, init_language, update
    from .catalog.pofile import read_catalog
    from .config import Project, load_project
    from .locales import normalize_language
    from .errors import CatalogError, ConfigError, PubkitError, SourceError, TemplateError, UsageError
    from .catalog.merge import merge
    from .source.sources import Message, Source, read_source, read_sources
    from .catalog.status import CatalogStatus, status
