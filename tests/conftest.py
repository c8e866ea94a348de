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
