import pytest

from tests.base import tenants_prueba_asegurar


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
