"""Un intento con pareo y tiempo límite en un teléfono de 360 px.

El pareo con textos largos no ensancha la página (antes: 594 px) y la cuenta
regresiva se ve y avanza. Montaje en tests/e2e/base.py, con datos con commit en el
tenant alfa que se borran al terminar.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from evaluaciones.models import Categoria, Evaluacion, Intento, Opcion, Pregunta
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.e2e.base import NavegadorTestCase
from tests.evaluaciones.factories import evaluacion_crear

USUARIA = "e2e-quiz-movil"
CATEGORIA = "E2E quiz móvil"
TITULO = "Evaluación E2E móvil"
PARES = [
    (
        "Programa Apoyo a Víctimas de la Subsecretaría de Prevención del Delito",
        "Coordina el Protocolo Intersectorial de Atención a Víctimas a escala "
        "regional y hace seguimiento de los casos ingresados",
    ),
    (
        "Brigada Investigadora de Trata de Personas de la Policía de Investigaciones",
        "Unidad especializada que investiga la trata y recibe denuncias en el "
        "marco del Protocolo Intersectorial",
    ),
    (
        "Unidad Regional de Atención a Víctimas y Testigos del Ministerio Público",
        "Evalúa el riesgo y coordina medidas de protección y derivación de "
        "víctimas y testigos",
    ),
]


class QuizMovilTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        with tenant_context(self.tenant):
            self.usuaria = usuario_asegurar(
                username=USUARIA, password=CLAVE, rol=Rol.FUNCIONARIO
            )
            categoria = Categoria.objects.create(nombre=CATEGORIA)
            pregunta = Pregunta.objects.create(
                categoria=categoria,
                tipo=Pregunta.Tipo.PAREO,
                codigo="E2E-MOVIL-PAREO",
                enunciado="Una cada institución con su función en el Protocolo.",
            )
            for n, (texto, pareja) in enumerate(PARES):
                Opcion.objects.create(
                    pregunta=pregunta,
                    sort_order=n,
                    texto=texto,
                    pareja=pareja,
                    es_correcta=True,
                )
            self.evaluacion = evaluacion_crear(
                reglas=[(categoria, 1)], titulo=TITULO, tiempo_limite_min=10
            )
            cliente = Client(HTTP_HOST=DOMINIO_A)
            cliente.force_login(self.usuaria)
            self.sesion = cliente.cookies["sessionid"].value
        connection.set_schema_to_public()
        self.base = self._levantar_servidor()

    def _borrar_datos(self):
        connection.set_schema_to_public()
        with tenant_context(self.tenant):
            Intento.objects.filter(usuario__username=USUARIA).delete()
            Evaluacion.objects.filter(titulo=TITULO).delete()
            Pregunta.objects.filter(categoria__nombre=CATEGORIA).delete()
            Categoria.objects.filter(nombre=CATEGORIA).delete()
            self.usuaria.__class__.objects.filter(username=USUARIA).delete()
        connection.set_schema_to_public()

    def test_el_pareo_cabe_en_360_px_y_la_cuenta_regresiva_avanza(self):
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(f"{self.base}/evaluaciones/{self.evaluacion.pk}/")
            pagina.get_by_role("button", name="Comenzar o continuar").click()
            pagina.wait_for_url("**/evaluaciones/intentos/*/")
            self.assertEqual(pagina.locator("select").count(), 3)
            ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
            self.assertLessEqual(ancho, 360)

            reloj = pagina.get_by_role("timer")
            self.assertTrue(reloj.is_visible())
            primero = reloj.inner_text()
            self.assertRegex(primero, r"^(09:5\d|10:00)$")
            pagina.wait_for_timeout(2100)
            self.assertNotEqual(reloj.inner_text(), primero)

            # Elegir la pareja más larga tampoco ensancha la página.
            pagina.locator("select").first.select_option(label=PARES[0][1])
            ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
            self.assertLessEqual(ancho, 360)
        self.assertEqual(errores, [])
