"""De punta a punta: una funcionaria rinde la evaluación final en un teléfono y aprueba.

Montaje en tests/e2e/base.py, con datos con commit en el tenant alfa que se borran al
terminar. Comprueba lo que ve la persona: el autoguardado sobrevive a una recarga, el
envío califica en el servidor y el curso queda completado.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from certificados.models import Certificado
from cursos.models import Inscripcion
from cursos.services import inscripcion_crear, leccion_completar
from evaluaciones.models import Categoria, Evaluacion, Intento, Pregunta
from indicadores.models import Hecho
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.cursos.factories import curso_por_clave, lecciones_de
from tests.e2e.base import NavegadorTestCase
from tests.evaluaciones.factories import evaluacion_crear, pregunta_vf
from verificacion.models import RegistroCertificado

CAPTURAS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
USUARIA = "e2e-quiz"
CATEGORIA = "E2E quiz"


class QuizNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.inicio = timezone.now()
        self.addCleanup(self._borrar_datos)
        with override_settings(MEDIA_ROOT=self.media), tenant_context(self.tenant):
            self.usuaria = usuario_asegurar(
                username=USUARIA, password=CLAVE, rol=Rol.FUNCIONARIO
            )
            self.curso = curso_por_clave("que-es-la-trata")
            # La final del currículo se suelta mientras dure la prueba: aquí la final
            # del curso es la de tres preguntas verdadero/falso.
            self.final_curriculo = list(
                self.curso.evaluaciones.values_list("pk", flat=True)
            )
            Evaluacion.objects.filter(pk__in=self.final_curriculo).update(curso=None)
            categoria = Categoria.objects.create(nombre=CATEGORIA)
            for n in range(3):
                pregunta_vf(categoria, codigo=f"E2E-VF-{n}", verdadera=False)
            self.evaluacion = evaluacion_crear(
                reglas=[(categoria, 3)],
                titulo="Evaluación final E2E",
                curso=self.curso,
                nota_aprobacion=60,
                intentos_max=2,
            )
            self.inscripcion, _creada = inscripcion_crear(
                usuario=self.usuaria, curso=self.curso
            )
            for leccion in lecciones_de(self.curso):
                leccion_completar(inscripcion=self.inscripcion, leccion=leccion)
            self.inscripcion.refresh_from_db()
            # Con lecciones completas, el curso espera la evaluación final.
            assert self.inscripcion.completado_at is None
            cliente = Client(HTTP_HOST=DOMINIO_A)
            cliente.force_login(self.usuaria)
            self.sesion = cliente.cookies["sessionid"].value
        connection.set_schema_to_public()
        self.base = self._levantar_servidor()

    def _borrar_datos(self):
        # También lo público que dejó el curso completado (registro del certificado y
        # hecho nacional): si quedara, otras pruebas contarían a esta persona.
        connection.set_schema_to_public()
        with tenant_context(self.tenant):
            certificados = Certificado.objects.filter(usuario__username=USUARIA)
            codigos = list(certificados.values_list("codigo", flat=True))
            certificados.delete()
            Intento.objects.filter(usuario__username=USUARIA).delete()
            Inscripcion.objects.filter(usuario__username=USUARIA).delete()
            Evaluacion.objects.filter(titulo="Evaluación final E2E").delete()
            Pregunta.objects.filter(categoria__nombre=CATEGORIA).delete()
            Categoria.objects.filter(nombre=CATEGORIA).delete()
            self.usuaria.__class__.objects.filter(username=USUARIA).delete()
            Evaluacion.objects.filter(pk__in=self.final_curriculo).update(
                curso=self.curso
            )
        connection.set_schema_to_public()
        RegistroCertificado.objects.filter(codigo__in=codigos).delete()
        Hecho.objects.filter(tenant=self.tenant, created_at__gte=self.inicio).delete()

    def test_la_funcionaria_aprueba_la_final_y_completa_el_curso(self):
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(f"{self.base}/evaluaciones/{self.evaluacion.pk}/")
            pagina.get_by_role("button", name="Comenzar o continuar").click()
            pagina.wait_for_url("**/evaluaciones/intentos/*/")
            # Las respuestas correctas no están en la página antes de calificar.
            self.assertNotIn("es_correcta", pagina.content())

            falsos = pagina.get_by_label("Falso")
            self.assertEqual(falsos.count(), 3)
            for n in range(3):
                with pagina.expect_response(lambda r: "/guardar/" in r.url) as r:
                    falsos.nth(n).check()
                self.assertEqual(r.value.status, 200)

            # Una recarga no pierde nada: lo autoguardado vuelve marcado.
            pagina.reload()
            for n in range(3):
                self.assertTrue(pagina.get_by_label("Falso").nth(n).is_checked())

            pagina.get_by_role("button", name="Enviar respuestas").click()
            pagina.wait_for_url("**/resultado/")
            texto = pagina.locator("main").inner_text()
            self.assertIn("100 %", texto)
            self.assertIn("Aprobado", texto)
            CAPTURAS.mkdir(parents=True, exist_ok=True)
            pagina.screenshot(
                path=str(CAPTURAS / "quiz-resultado-movil.png"), full_page=True
            )

        self.assertEqual(errores, [])
        with tenant_context(self.tenant):
            intento = Intento.objects.get(usuario=self.usuaria)
            self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
            self.assertTrue(intento.aprobado)
            self.inscripcion.refresh_from_db()
            self.assertIsNotNone(self.inscripcion.completado_at)
        connection.set_schema_to_public()
