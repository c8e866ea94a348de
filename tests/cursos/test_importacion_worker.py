"""La importación de la nómina la corre un worker real de Celery.

El worker es otro proceso: solo ve datos confirmados, así que la prueba crea con commit
lo que necesita y lo borra al final. Se omite si no hay Redis.
"""

from __future__ import annotations

import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import schema_context

from content.models import Importacion, RegistroAuditoria
from content.trabajos import importacion_pedir
from cursos.models import Institucion, Perfil, Unidad
from cursos.services.nomina import COLUMNAS
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_valido
from tests.cursos.importar import xlsx
from tests.cursos.test_importaciones import fila_persona
from tests.worker_celery import worker_real

FILAS = 300


@pytest.fixture
def worker(django_db_blocker, django_db_setup):
    with django_db_blocker.unblock(), worker_real("importacion") as proceso:
        yield proceso


@pytest.fixture
def encargada(django_db_blocker, django_db_setup):
    prefijo = f"imp{os.getpid()}-"
    try:
        with django_db_blocker.unblock(), schema_context("alfa"):
            usuario = usuario_asegurar(
                username=prefijo + "encargada", password="x" * 16, rol=Rol.ENCARGADO
            )
            inst = InstitucionFactory(nombre=prefijo + "PDI", sigla="PDI")
            UnidadFactory(institucion=inst, nombre="Prefectura 1", region="arica")
        yield usuario
    finally:
        with django_db_blocker.unblock(), schema_context("alfa"):
            ruts = [rut_valido(21_000_000 + n) for n in range(1, FILAS + 1)]
            usuarios = Perfil.objects.filter(rut__in=ruts).values_list(
                "usuario_id", flat=True
            )
            get_user_model().objects.filter(pk__in=list(usuarios)).delete()
            encargadas = get_user_model().objects.filter(username__startswith=prefijo)
            Importacion.objects.filter(usuario_id__in=encargadas).delete()
            RegistroAuditoria.objects.filter(user_id__in=encargadas).delete()
            Unidad.objects.filter(institucion__nombre__startswith=prefijo).delete()
            Institucion.objects.filter(nombre__startswith=prefijo).delete()
            encargadas.delete()


def _esperar(importacion: Importacion, segundos: int = 90) -> Importacion:
    plazo = time.monotonic() + segundos
    while time.monotonic() < plazo:
        importacion.refresh_from_db()
        if importacion.terminado:
            return importacion
        time.sleep(0.3)
    raise AssertionError(f"el worker no terminó la importación: {importacion.estado}")


@pytest.mark.integracion
def test_la_nomina_la_importa_un_worker_real(worker, encargada, django_db_blocker):
    archivo = xlsx([COLUMNAS, *(fila_persona(n) for n in range(1, FILAS + 1))])
    archivo.name = "nomina.xlsx"
    with django_db_blocker.unblock(), schema_context("alfa"):
        with transaction.atomic():
            importacion = importacion_pedir(
                usuario=encargada,
                tipo="nomina",
                funcion="cursos.services.nomina.nomina_importar",
                archivo=archivo,
                columnas=COLUMNAS,
            )
        importacion = _esperar(importacion)
        assert importacion.estado == Importacion.Estado.LISTO, importacion.resultado
        assert importacion.progreso == 100
        assert importacion.resultado["creadas"] == FILAS
        assert Perfil.objects.filter(rut=rut_valido(21_000_000 + FILAS)).exists()
        # Quedó en la bitácora del tenant, sin RUT.
        registro = RegistroAuditoria.objects.get(
            user_id=encargada.pk, action="capacita.importacion"
        )
        assert registro.data["creadas"] == FILAS
        assert "21.000" not in str(registro.data)
