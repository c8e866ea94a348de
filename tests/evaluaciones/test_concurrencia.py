"""Envíos simultáneos del mismo intento contra PostgreSQL real, con hilos y commits.

Sin la transacción de TestCase: cada hilo tiene su propia conexión y debe ver datos
confirmados. Todo se crea en el schema alfa con un usuario propio y se borra al final.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from certificados.models import Certificado
from cursos.models import Inscripcion, LeccionCompletada
from cursos.services import inscripcion_crear, leccion_completar
from cursos.signals import curso_completado
from evaluaciones import services
from evaluaciones.models import Categoria, Evaluacion, Intento, Pregunta
from evaluaciones.services import intento_enviar, intento_iniciar
from indicadores.models import Hecho
from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_por_clave, lecciones_de
from tests.evaluaciones.factories import (
    evaluacion_crear,
    pregunta_multiple,
    pregunta_pareo,
    pregunta_unica,
    pregunta_vf,
    respuestas_correctas,
)
from verificacion.models import RegistroCertificado

HILOS = 20
SCHEMA = "alfa"


def _enviar_a_la_vez(*, intento_id: int, usuario_id: int, respuestas: dict):
    """HILOS envíos del mismo intento, alineados con una barrera."""
    barrera = threading.Barrier(HILOS)
    resultados: list = []
    errores: list = []
    candado = threading.Lock()

    def enviar():
        try:
            with schema_context(SCHEMA):
                # La conexión se abre antes de la barrera: así los envíos coinciden.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                barrera.wait(timeout=30)
                intento = intento_enviar(
                    intento_id=intento_id, usuario=usuario_id, respuestas=respuestas
                )
            with candado:
                resultados.append((intento.puntaje, intento.calificado_at))
        except Exception as exc:  # noqa: BLE001 - se informa en la aserción
            with candado:
                errores.append(repr(exc))
        finally:
            connection.close()

    hilos = [threading.Thread(target=enviar) for _n in range(HILOS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert not any(h.is_alive() for h in hilos), "un hilo quedó colgado"
    assert errores == []
    return resultados


@contextmanager
def _contar_calificaciones():
    """Cuenta las llamadas reales a la calificación, desde cualquier hilo."""
    llamadas: list[int] = []
    candado = threading.Lock()
    original = services._calificar

    def contada(intento):
        with candado:
            llamadas.append(intento.pk)
        return original(intento)

    with mock.patch.object(services, "_calificar", contada):
        yield llamadas


@contextmanager
def _completitudes():
    recibidas: list[int] = []
    candado = threading.Lock()

    def receptor(sender, inscripcion, **kwargs):
        with candado:
            recibidas.append(inscripcion.pk)

    uid = f"prueba-concurrencia-{uuid.uuid4()}"
    curso_completado.connect(receptor, weak=False, dispatch_uid=uid)
    try:
        yield recibidas
    finally:
        curso_completado.disconnect(dispatch_uid=uid)


class DatosDePartidaTests(CapacitaTestCase):
    """Además de comprobar el punto de partida, esta clase hace que pytest-django
    prepare la base de pruebas aunque se corra solo este archivo: las funciones de
    abajo no piden ``db`` (que las envolvería en una transacción)."""

    def test_alfa_tiene_el_curso_con_lecciones_para_la_prueba_concurrente(self):
        with self.en_a():
            self.assertTrue(lecciones_de(curso_por_clave("que-es-la-trata")))


@pytest.fixture
def datos(django_db_setup, django_db_blocker):
    """Usuario, banco y evaluación confirmados en alfa; se borran al terminar."""
    marca = uuid.uuid4().hex[:10]
    nombre = connection.settings_dict["NAME"]
    assert nombre.startswith("test_"), f"{nombre} no es la base de pruebas"
    with django_db_blocker.unblock():
        with schema_context(SCHEMA):
            usuario = get_user_model().objects.create_user(
                username=f"concurrente-{marca}"
            )
            categoria = Categoria.objects.create(nombre=f"Concurrencia {marca}")
            # Códigos propios: no chocan con los de otras pruebas ni con restos.
            pregunta_unica(categoria, codigo=f"C-{marca}-1")
            pregunta_multiple(categoria, codigo=f"C-{marca}-2")
            pregunta_vf(categoria, codigo=f"C-{marca}-3")
            pregunta_pareo(categoria, codigo=f"C-{marca}-4")
        inicio = timezone.now()
        try:
            yield {"usuario": usuario, "categoria": categoria, "marca": marca}
        finally:
            with schema_context(SCHEMA):
                # El curso completado deja certificado, su registro público y un
                # hecho nacional: se borran para que otras pruebas no los cuenten.
                certificados = Certificado.objects.filter(usuario=usuario)
                codigos = list(certificados.values_list("codigo", flat=True))
                certificados.delete()
                Intento.objects.filter(usuario=usuario).delete()
                LeccionCompletada.objects.filter(inscripcion__usuario=usuario).delete()
                Inscripcion.objects.filter(usuario=usuario).delete()
                Evaluacion.objects.filter(reglas__categoria=categoria).delete()
                Pregunta.objects.filter(categoria=categoria).delete()
                categoria.delete()
                usuario.delete()
            connection.set_schema_to_public()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            Hecho.objects.filter(
                tenant__schema_name=SCHEMA, created_at__gte=inicio
            ).delete()


def test_veinte_envios_simultaneos_califican_el_intento_una_sola_vez(
    datos, django_db_blocker
):
    usuario, categoria = datos["usuario"], datos["categoria"]
    with django_db_blocker.unblock():
        with schema_context(SCHEMA):
            evaluacion = evaluacion_crear(
                reglas=[(categoria, 4)], titulo=f"Concurrencia {datos['marca']}"
            )
            intento = intento_iniciar(usuario=usuario, evaluacion=evaluacion)
            respuestas = respuestas_correctas(intento)

        with _contar_calificaciones() as llamadas:
            resultados = _enviar_a_la_vez(
                intento_id=intento.pk, usuario_id=usuario.pk, respuestas=respuestas
            )

        with schema_context(SCHEMA):
            intento.refresh_from_db()
            total = Intento.objects.filter(usuario=usuario).count()
    assert llamadas == [intento.pk]
    assert len(resultados) == HILOS
    assert intento.estado == Intento.Estado.CALIFICADO
    assert intento.aprobado
    assert intento.calificado_at is not None
    # Todos los hilos devuelven la misma y única calificación.
    assert set(resultados) == {(intento.puntaje, intento.calificado_at)}
    assert total == 1


def test_veinte_envios_de_la_final_completan_el_curso_una_sola_vez(
    datos, django_db_blocker
):
    usuario = datos["usuario"]
    with django_db_blocker.unblock():
        with schema_context(SCHEMA):
            curso = curso_por_clave("que-es-la-trata")
            # La evaluación final que trae el currículo para el curso.
            evaluacion = curso.evaluaciones.get()
            inscripcion, _creada = inscripcion_crear(usuario=usuario, curso=curso)
            # Todas las lecciones hechas antes: solo falta aprobar la final.
            for leccion in lecciones_de(curso):
                assert not leccion_completar(inscripcion=inscripcion, leccion=leccion)
            inscripcion.refresh_from_db()
            assert inscripcion.completado_at is None
            intento = intento_iniciar(usuario=usuario, evaluacion=evaluacion)
            respuestas = respuestas_correctas(intento)

        with _completitudes() as recibidas, _contar_calificaciones() as llamadas:
            resultados = _enviar_a_la_vez(
                intento_id=intento.pk, usuario_id=usuario.pk, respuestas=respuestas
            )

        with schema_context(SCHEMA):
            inscripcion.refresh_from_db()
            intento.refresh_from_db()
    assert llamadas == [intento.pk]
    assert len(set(resultados)) == 1
    assert intento.aprobado
    assert inscripcion.completado_at is not None
    assert recibidas == [inscripcion.pk]
