from pathlib import Path

import pytest

from tests.base import tenants_prueba_asegurar

# Va al final de la sesión: revisa la bitácora que escribió toda la suite.
PRUEBA_BITACORA = "tests/seguridad/test_bitacora_sin_rut.py"


def pytest_sessionstart(session):
    """Vacía la bitácora de pruebas (config/settings/test.py): la revisión final
    solo debe ver lo que escribió esta sesión."""
    from django.conf import settings

    bitacora = getattr(settings, "BITACORA_PRUEBAS", None)
    if bitacora is not None:
        Path(bitacora).parent.mkdir(parents=True, exist_ok=True)
        Path(bitacora).write_text("", encoding="utf-8")


def pytest_collection_modifyitems(session, config, items):
    ultimas = [i for i in items if i.nodeid.startswith(PRUEBA_BITACORA)]
    if ultimas:
        items[:] = [i for i in items if i not in ultimas] + ultimas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Crea una vez por sesión la plantilla y los tenants alfa y beta (con commit).

    Las clases de prueba corren cada prueba dentro de una transacción que se revierte,
    así que los tenants sobreviven y sus datos de prueba no.
    """
    with django_db_blocker.unblock():
        tenants_prueba_asegurar()


@pytest.fixture(autouse=True)
def _cache_vacia():
    """Cada prueba parte con la caché vacía: lo guardado por otra (tenant por host,
    Site, sesiones) no sobrevive a la transacción que se revirtió."""
    from django.core.cache import cache

    cache.clear()
    yield
