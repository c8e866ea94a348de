"""Todas las pruebas de esta carpeta llevan la marca ``e2e``: ``pytest -m e2e``."""

from __future__ import annotations

from pathlib import Path

import pytest

CARPETA = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if CARPETA in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
