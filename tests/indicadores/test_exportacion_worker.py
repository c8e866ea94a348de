"""Una exportación de más de 5.000 filas la genera un worker real de Celery.

Como tests/integracion/test_celery_worker.py: el worker es otro proceso, así que solo
ve datos confirmados; cada prueba crea con commit lo que necesita y lo borra al final.
Se omiten si no hay Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from content.models import RegistroAuditoria
from cursos.models import Perfil
from indicadores.exportaciones import (
    exportacion_generar,
    exportacion_pedir,
    exportacion_ruta,
)
from indicadores.models import Exportacion
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.cursos.factories import rut_valido
from tests.worker_celery import database_url_de_prueba, worker_real

RAIZ = Path(__file__).resolve().parents[2]
PERSONAS = 5_050  # sobre INDICADORES_UMBRAL_TAREA (5.000): va a una tarea


@pytest.fixture
def directorio(tmp_path, settings, django_db_setup):
    # django_db_setup: la base de pruebas (con alfa y beta), nunca la de desarrollo.
    settings.INDICADORES_EXPORTACIONES_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def worker(django_db_blocker, directorio):
    # El worker escribe donde la prueba lee.
    entorno = {"INDICADORES_EXPORTACIONES_DIR": str(directorio)}
    with django_db_blocker.unblock(), worker_real("exportacion", entorno) as proceso:
        yield proceso


@pytest.fixture
def nomina_grande(django_db_blocker, django_db_setup):
    """5.050 personas confirmadas en alfa y su encargada; se borran al terminar."""
    prefijo = f"wk{os.getpid()}-"
    User = get_user_model()
    with django_db_blocker.unblock(), schema_context("alfa"):
        encargada = usuario_asegurar(
            username=prefijo + "encargada", password="x" * 16, rol=Rol.ENCARGADO
        )
        usuarios = User.objects.bulk_create(
            User(username=f"{prefijo}{i}", first_name="Nombre", last_name=f"A{i:05d}")
            for i in range(PERSONAS)
        )
        Perfil.objects.bulk_create(
            Perfil(usuario=u, rut=rut_valido(20_000_000 + i), sexo="femenino")
            for i, u in enumerate(usuarios)
        )
    try:
        yield encargada
    finally:
        with django_db_blocker.unblock():
            with schema_context("alfa"):
                RegistroAuditoria.objects.filter(user_id=encargada.pk).delete()
                User.objects.filter(username__startswith=prefijo).delete()
            with schema_context("public"):
                Exportacion.objects.filter(
                    schema_name="alfa", usuario_id=encargada.pk
                ).delete()


def _esperar_lista(exportacion: Exportacion, segundos: int = 90) -> Exportacion:
    plazo = time.monotonic() + segundos
    while time.monotonic() < plazo:
        exportacion.refresh_from_db()
        if exportacion.estado in {
            Exportacion.Estado.LISTO,
            Exportacion.Estado.ERROR,
        }:
            return exportacion
        time.sleep(0.3)
    raise AssertionError(f"el worker no terminó la exportación: {exportacion.estado}")


@pytest.mark.integracion
def test_nomina_de_mas_de_5000_filas_la_escribe_un_worker_real(
    worker, nomina_grande, django_db_blocker, directorio
):
    encargada = nomina_grande
    with django_db_blocker.unblock():
        with schema_context("alfa"):
            with transaction.atomic():
                exportacion = exportacion_pedir(
                    usuario=encargada, tipo=Exportacion.Tipo.NOMINA, filtros={}
                )
            # La vista respondió sin archivo: queda en cola para el worker.
            assert exportacion.en_tarea
            assert exportacion.total > settings.INDICADORES_UMBRAL_TAREA
        with schema_context("public"):
            exportacion = _esperar_lista(exportacion)
        assert exportacion.estado == Exportacion.Estado.LISTO
        assert exportacion.progreso == 100
        ruta = exportacion_ruta(exportacion)
        # Solo el archivo final: ningún temporal quedó en el directorio.
        assert [p.name for p in ruta.parent.iterdir()] == [ruta.name]
        libro = load_workbook(ruta, read_only=True)
        filas = list(libro["Nómina"].iter_rows(values_only=True))
        assert filas[0][:3] == ("RUT", "Apellidos", "Nombres")
        assert len(filas) - 1 >= PERSONAS
        # Lo auditado suma las tres hojas (personas, nómina, jornadas).
        escritas = sum(sum(1 for _f in h.iter_rows()) - 1 for h in libro.worksheets)
        assert exportacion.filas == escritas
        apellidos = {f[1] for f in filas[1:]}
        assert {f"A{i:05d}" for i in (0, PERSONAS - 1)} <= apellidos
        with schema_context("alfa"):
            registro = RegistroAuditoria.objects.get(
                action="capacita.exportacion",
                data__tipo="nomina",
                user_id=encargada.pk,
            )
            assert registro.data["filas"] == exportacion.filas


@pytest.mark.integracion
def test_un_worker_muerto_a_media_escritura_no_deja_archivo(
    django_db_blocker, directorio
):
    """El proceso que genera muere (SIGKILL) en medio de ``libro.save``: el destino
    no existe y la descarga no tiene nada que servir; el reintento lo completa."""
    with django_db_blocker.unblock():
        with schema_context("public"):
            exportacion = Exportacion.objects.create(
                schema_name="alfa",
                usuario_id=0,
                usuario="prueba",
                tipo=Exportacion.Tipo.UNIDADES,
                filtros={"anio": 2025},
                en_tarea=True,
            )
        try:
            guion = textwrap.dedent(
                f"""
                import os, signal
                import django
                django.setup()
                from django_tenants.utils import schema_context
                from openpyxl.workbook.workbook import Workbook

                def save(self, destino):
                    destino.write(b"PK\\x03\\x04 a medias")
                    destino.flush()
                    os.kill(os.getpid(), signal.SIGKILL)

                Workbook.save = save
                from indicadores.exportaciones import exportacion_generar
                with schema_context("alfa"):
                    exportacion_generar(exportacion_id={exportacion.pk})
                """
            )
            resultado = subprocess.run(
                [sys.executable, "-c", guion],
                cwd=RAIZ,
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "config.settings.test",
                    "DATABASE_URL": database_url_de_prueba(),
                    "INDICADORES_EXPORTACIONES_DIR": str(directorio),
                },
                timeout=120,
            )
            assert resultado.returncode == -signal.SIGKILL
            ruta = exportacion_ruta(exportacion)
            assert not ruta.exists()
            # Lo único que queda es el temporal, con otro nombre (nunca se sirve).
            restos = list(ruta.parent.iterdir())
            assert restos and all(p.suffix == ".tmp" for p in restos)
            with schema_context("public"):
                exportacion.refresh_from_db()
            assert exportacion.estado != Exportacion.Estado.LISTO
            # El reintento de la tarea borra el temporal y deja el archivo completo.
            with schema_context("alfa"):
                exportacion_generar(exportacion_id=exportacion.pk)
            assert [p.name for p in ruta.parent.iterdir()] == [ruta.name]
            assert "% por unidad" in load_workbook(ruta, read_only=True).sheetnames
        finally:
            with schema_context("public"):
                exportacion.delete()
            # El reintento confirmó su registro de auditoría en alfa: sin esto, una
            # corrida con --reuse-db lo encontraría en las pruebas de auditoría.
            with schema_context("alfa"):
                RegistroAuditoria.objects.filter(
                    data__exportacion=str(exportacion.uuid)
                ).delete()
