"""Con un worker de Celery real (Redis), completar un curso emite el certificado."""

from __future__ import annotations

import time
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context

from certificados.models import Certificado
from cursos.models import Inscripcion
from indicadores.models import Hecho
from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_completar, curso_por_clave, lecciones_de
from tests.worker_celery import worker_real
from verificacion.models import RegistroCertificado


class PreparaBaseTests(CapacitaTestCase):
    """Hace que pytest-django prepare la base aunque se corra solo este archivo."""

    def test_alfa_tiene_el_curso(self):
        with self.en_a():
            self.assertTrue(lecciones_de(curso_por_clave("que-es-la-trata")))


@pytest.fixture
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), worker_real("certificados") as proceso:
        yield proceso


@pytest.mark.integracion
def test_un_worker_real_emite_el_certificado_al_completar(worker, django_db_blocker):
    marca = uuid.uuid4().hex[:10]
    with django_db_blocker.unblock():
        with schema_context("alfa"):
            usuario = get_user_model().objects.create_user(
                username=f"worker-{marca}",
                email=f"{marca}@example.cl",
                first_name="Wanda",
                last_name="Worker",
            )
        try:
            with schema_context("alfa"):
                # Lecciones y evaluación final aprobada: la regla de completitud.
                curso_completar(usuario, curso_por_clave("que-es-la-trata"))
            plazo = time.monotonic() + 40
            certificado = None
            while time.monotonic() < plazo:
                with schema_context("alfa"):
                    certificado = Certificado.objects.filter(
                        usuario=usuario, correo_enviado_at__isnull=False
                    ).first()
                if certificado:
                    break
                time.sleep(0.3)
            assert certificado is not None, "el worker no emitió el certificado"
            registro = RegistroCertificado.objects.get(codigo=certificado.codigo)
            assert registro.tenant.schema_name == "alfa"
            assert registro.titular_nombre == "Wanda Worker"
            with schema_context("beta"):
                assert not Certificado.objects.filter(
                    codigo=certificado.codigo
                ).exists()
        finally:
            with schema_context("alfa"):
                codigos = list(
                    Certificado.objects.filter(usuario=usuario).values_list(
                        "codigo", flat=True
                    )
                )
                inscripciones = list(
                    Inscripcion.objects.filter(usuario=usuario).values_list(
                        "pk", flat=True
                    )
                )
                usuario.delete()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            # El hecho nacional de la completitud también se confirmó: fuera.
            Hecho.objects.filter(
                tenant__schema_name="alfa", tipo="curso", origen_id__in=inscripciones
            ).delete()
            connection.set_schema_to_public()
