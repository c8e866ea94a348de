"""De punta a punta: el reproductor H5P se ve en Chromium y su xAPI queda registrado.

Montaje en tests/e2e/base.py: crea con commit en el tenant alfa un usuario, un
paquete, una lección y una inscripción, y los borra al terminar.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from content.h5p import paquete_crear
from content.models import PaqueteH5P, ResultadoH5P
from cursos.models import Inscripcion, LeccionCompletada, LeccionPage
from cursos.services import inscripcion_crear
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import curso_por_slug, leccion_agregar
from tests.e2e.base import NavegadorTestCase


class H5PNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        ajuste = override_settings(
            MEDIA_ROOT=self.media, STORAGES={**settings.STORAGES}
        )
        with ajuste, tenant_context(self.tenant):
            self.usuario = usuario_asegurar(
                username="e2e-h5p", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            self.paquete = paquete_crear(titulo="Caso E2E", archivo=pq.demo_archivo())
            curso = curso_por_slug("que-es-la-trata")
            self.leccion = leccion_agregar(
                curso,
                title="Actividad E2E",
                slug="actividad-e2e-h5p",
                cuerpo=[pq.bloque_h5p(self.paquete)],
            )
            self.url_leccion = self.leccion.url
            inscripcion_crear(usuario=self.usuario, curso=curso)
            cliente = Client(HTTP_HOST=DOMINIO_A)
            cliente.force_login(self.usuario)
            self.sesion = cliente.cookies["sessionid"].value
        connection.set_schema_to_public()
        self.base = self._levantar_servidor()

    def _borrar_datos(self):
        connection.set_schema_to_public()
        with tenant_context(self.tenant):
            usuarios = {"usuario__username": "e2e-h5p"}
            Inscripcion.objects.filter(**usuarios).delete()
            for leccion in LeccionPage.objects.filter(slug="actividad-e2e-h5p"):
                leccion.delete()
            PaqueteH5P.objects.filter(titulo="Caso E2E").delete()
            self.usuario.__class__.objects.filter(username="e2e-h5p").delete()
        connection.set_schema_to_public()

    def test_la_funcionaria_responde_el_caso_y_la_leccion_queda_completada(self):
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(self.base + self.url_leccion)
            marco = pagina.frame_locator("iframe.h5p-capacita__marco")
            estado = pagina.locator("[data-h5p-estado]")

            # Primero la respuesta equivocada: se registra, pero no aprueba.
            marco.get_by_role("button", name="Verdadero").click(timeout=20_000)
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 1")
            self.assertIn("Necesita 70 %", estado.inner_text())

            marco.get_by_role("button", name="Intentar de nuevo").click()
            marco.get_by_role("button", name="Falso").click()
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 2")
            self.assertIn("aprobada", estado.inner_text())
            retro = marco.locator("[role=status]").inner_text()
            self.assertIn("Respuesta correcta", retro)

        self.assertEqual(errores, [])
        with tenant_context(self.tenant):
            puntajes = ResultadoH5P.objects.filter(usuario=self.usuario).values_list(
                "puntaje_escalado", flat=True
            )
            self.assertEqual(sorted(float(x) for x in puntajes), [0.0, 1.0])
            self.assertTrue(
                LeccionCompletada.objects.filter(
                    inscripcion__usuario=self.usuario, leccion=self.leccion
                ).exists()
            )
        connection.set_schema_to_public()
