"""Entregas simultáneas de la tarea de emisión, con hilos, commits y PostgreSQL real.

Sin la transacción de TestCase: cada hilo tiene su conexión y ve datos confirmados.
Todo se crea en alfa con un usuario propio y se borra al final.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from certificados.models import Certificado
from certificados.tasks import certificado_emitir_task
from cursos.models import Inscripcion
from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_por_clave, lecciones_de
from verificacion.models import RegistroCertificado

HILOS = 8
SCHEMA = "alfa"


class DatosDePartidaTests(CapacitaTestCase):
    """Hace que pytest-django prepare la base aunque se corra solo este archivo."""

    def test_alfa_tiene_el_curso(self):
        with self.en_a():
            self.assertTrue(lecciones_de(curso_por_clave("que-es-la-trata")))


@pytest.fixture
def inscripcion_completada(django_db_setup, django_db_blocker):
    marca = uuid.uuid4().hex[:10]
    assert connection.settings_dict["NAME"].startswith("test_")
    with django_db_blocker.unblock():
        with schema_context(SCHEMA):
            usuario = get_user_model().objects.create_user(
                username=f"cert-concurrente-{marca}",
                email=f"{marca}@example.cl",
                first_name="Concurrente",
            )
            # Completada a mano: sin la señal, nada se encola antes de la prueba.
            from django.utils import timezone

            inscripcion = Inscripcion.objects.create(
                usuario=usuario,
                curso=curso_por_clave("que-es-la-trata"),
                completado_at=timezone.now(),
            )
        try:
            yield inscripcion
        finally:
            with schema_context(SCHEMA):
                codigos = list(
                    Certificado.objects.filter(usuario=usuario).values_list(
                        "codigo", flat=True
                    )
                )
                usuario.delete()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            connection.set_schema_to_public()


def test_entregas_simultaneas_dejan_un_certificado_y_un_correo(
    inscripcion_completada, django_db_blocker, mailoutbox
):
    barrera = threading.Barrier(HILOS)
    errores: list[str] = []
    candado = threading.Lock()

    def entregar():
        try:
            with schema_context(SCHEMA):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                barrera.wait(timeout=30)
                certificado_emitir_task.apply(
                    args=(inscripcion_completada.pk,),
                    headers={"_schema_name": SCHEMA},
                ).get()
        except Exception as exc:  # noqa: BLE001 - se informa en la aserción
            with candado:
                errores.append(repr(exc))
        finally:
            connection.close()

    with django_db_blocker.unblock():
        hilos = [threading.Thread(target=entregar) for _n in range(HILOS)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join(timeout=60)
        assert errores == []
        with schema_context(SCHEMA):
            certificados = list(
                Certificado.objects.filter(inscripcion=inscripcion_completada)
            )
        assert len(certificados) == 1
        assert (
            RegistroCertificado.objects.filter(codigo=certificados[0].codigo).count()
            == 1
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [inscripcion_completada.usuario.email]
