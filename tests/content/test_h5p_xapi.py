"""Endpoint xAPI de las actividades H5P y su efecto en la lección."""

from __future__ import annotations

import json
from decimal import Decimal

from django.test import Client

from content.h5p import actividad_iri, paquete_crear, resultado_mejor
from content.h5p.blocks import H5PBlock
from content.models import ResultadoH5P
from cursos.models import LeccionCompletada
from cursos.services import inscripcion_crear
from tests.base import DOMINIO_A, DOMINIO_B, CapacitaTestCase
from tests.cursos.factories import curso_por_clave, leccion_agregar

from . import h5p_paquetes as pq

VERBOS = "http://adlnet.gov/expapi/verbs/"


def declaracion(
    iri: str, *, escalado=1.0, bruto=1, maximo=1, verbo="answered", respuesta="false"
):
    """Declaración final; ``respuesta`` es la del caso del demo («false» es la
    correcta) y se omite con None."""
    datos = {
        "actor": {"account": {"name": "anonimo", "homePage": "http://x"}},
        "verb": {"id": VERBOS + verbo, "display": {"en-US": verbo}},
        "object": {
            "id": iri,
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": "h5p-1"}
            },
        },
        "result": {
            "score": {"min": 0, "max": maximo, "raw": bruto, "scaled": escalado},
            "completion": True,
            "success": escalado >= 1,
        },
    }
    if respuesta is not None:
        datos["result"]["response"] = respuesta
    return datos


class H5PXAPITests(pq.MediaTemporalMixin, CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.paquete = paquete_crear(titulo="Caso", archivo=pq.demo_archivo())
            self.otro = paquete_crear(titulo="Otro", archivo=pq.demo_archivo())
            # Un tipo de contenido de terceros: el servidor no sabe calificarlo.
            self.tercero = paquete_crear(
                titulo="Tercero", archivo=pq.como_archivo(pq.paquete())
            )
            self.curso = curso_por_clave("que-es-la-trata")
            self.leccion = leccion_agregar(
                self.curso,
                title="Lección con H5P",
                slug="leccion-h5p",
                cuerpo=[
                    pq.bloque_h5p(self.paquete, umbral="0.70"),
                    pq.bloque_h5p(self.tercero, obligatoria=False),
                ],
            )
            inscripcion_crear(usuario=self.alice, curso=self.curso)
            self.iri = actividad_iri(self.leccion, self.paquete.pk)
            self.iri_tercero = actividad_iri(self.leccion, self.tercero.pk)
        self.url = f"/h5p/xapi/{self.leccion.pk}/{self.paquete.pk}/"
        self.url_tercero = f"/h5p/xapi/{self.leccion.pk}/{self.tercero.pk}/"

    def enviar(self, datos, *, cliente=None, url=None, **extra):
        cuerpo = datos if isinstance(datos, str | bytes) else json.dumps(datos)
        cliente = cliente or self.client_a
        return cliente.post(
            url or self.url, cuerpo, content_type="application/json", **extra
        )

    def aprobada(self) -> bool:
        with self.en_a():
            bloque = self.leccion.specific.cuerpo[0]
            return bloque.block.aprobada(self.alice, bloque.value)

    def completada(self) -> bool:
        with self.en_a():
            return LeccionCompletada.objects.filter(
                inscripcion__usuario=self.alice, leccion=self.leccion
            ).exists()

    # --- lo que se acepta --------------------------------------------------------

    def test_puntaje_sobre_el_umbral_registra_aprueba_y_completa(self):
        self.ingresar(self.client_a, "alice")
        self.assertFalse(self.aprobada())
        respuesta = self.enviar(declaracion(self.iri, escalado=1.0))
        self.assertEqual(respuesta.status_code, 200, respuesta.content)
        datos = respuesta.json()
        self.assertTrue(datos["aprobado"])
        self.assertEqual(datos["puntaje"], 1.0)
        self.assertIn("aprobada", datos["mensaje"])
        with self.en_a():
            resultado = ResultadoH5P.objects.get()
            self.assertEqual(resultado.usuario, self.alice)
            self.assertEqual(resultado.verbo, VERBOS + "answered")
            self.assertEqual(resultado.puntaje_escalado, Decimal("1.0000"))
            self.assertTrue(resultado.exito)
            self.assertEqual(resultado.declaracion["object"]["id"], self.iri)
        self.assertTrue(self.aprobada())
        self.assertTrue(self.completada())

    def test_puntaje_bajo_el_umbral_registra_pero_no_aprueba(self):
        self.ingresar(self.client_a, "alice")
        respuesta = self.enviar(declaracion(self.iri, escalado=0.0, respuesta="true"))
        self.assertEqual(respuesta.status_code, 200, respuesta.content)
        self.assertFalse(respuesta.json()["aprobado"])
        self.assertIn("Necesita 70 %", respuesta.json()["mensaje"])
        with self.en_a():
            self.assertEqual(ResultadoH5P.objects.count(), 1)
        self.assertFalse(self.aprobada())
        self.assertFalse(self.completada())

    def test_el_mejor_puntaje_es_el_maximo_de_los_intentos(self):
        self.ingresar(self.client_a, "alice")
        for respuesta in ("true", "false", "true"):
            self.enviar(declaracion(self.iri, respuesta=respuesta))
        with self.en_a():
            mejor = resultado_mejor(
                usuario=self.alice, paquete=self.paquete, leccion=self.leccion
            )
        self.assertEqual(mejor, Decimal("1.0000"))
        self.assertTrue(self.aprobada())

    def test_sin_scaled_se_calcula_con_raw_y_max(self):
        self.ingresar(self.client_a, "alice")
        datos = declaracion(self.iri_tercero, bruto=3, maximo=4, respuesta=None)
        del datos["result"]["score"]["scaled"]
        respuesta = self.enviar(datos, url=self.url_tercero)
        self.assertEqual(respuesta.json()["puntaje"], 0.75)
        self.assertTrue(respuesta.json()["aprobado"])

    def test_success_sin_puntaje_aprueba_pero_no_supera_un_puntaje_bajo(self):
        with self.en_a():
            bloque = H5PBlock()
            valor = bloque.to_python(
                {"paquete": self.paquete.pk, "umbral": "0.70", "obligatoria": True}
            )
            ResultadoH5P.objects.create(
                usuario=self.alice,
                paquete=self.paquete,
                leccion=self.leccion,
                verbo=VERBOS + "passed",
                puntaje_escalado=Decimal("0.5"),
                exito=True,
            )
            self.assertFalse(bloque.aprobada(self.alice, valor))
            ResultadoH5P.objects.create(
                usuario=self.alice,
                paquete=self.paquete,
                leccion=self.leccion,
                verbo=VERBOS + "completed",
                exito=True,
            )
            self.assertTrue(bloque.aprobada(self.alice, valor))

    def test_la_leccion_muestra_el_reproductor_con_la_iri_de_la_actividad(self):
        self.ingresar(self.client_a, "alice")
        with self.en_a():
            url = self.leccion.url
        respuesta = self.client_a.get(url)
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, f'data-actividad-iri="{self.iri}"')
        self.assertContains(respuesta, f'data-xapi-url="{self.url}"')
        carpeta = self.paquete.carpeta.removeprefix("h5p/")
        # El paquete corre en un iframe aislado servido por la vista de paquetes,
        # nunca desde /media/ ni con el reproductor en la página de la lección.
        self.assertContains(respuesta, 'sandbox="allow-scripts"')
        self.assertContains(respuesta, f'src="/h5p/paquetes/{carpeta}/?actividad=')
        self.assertNotContains(respuesta, "allow-same-origin")
        self.assertNotContains(respuesta, "/media/")
        self.assertNotContains(respuesta, "main.bundle.js")
        self.assertContains(respuesta, "js/h5p-capacita.js")
        self.assertContains(respuesta, 'aria-live="polite"')

    def test_el_editor_ve_el_bloque_en_el_editor_de_la_leccion(self):
        self.ingresar(self.client_a, "edu")
        respuesta = self.client_a.get(f"/admin/pages/{self.leccion.pk}/edit/")
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, "Actividad H5P")
        chooser = self.client_a.get("/admin/snippets/choose/content/paqueteh5p/")
        self.assertContains(chooser, "Caso")

    def test_con_csrf_valido_se_acepta(self):
        cliente = Client(enforce_csrf_checks=True, HTTP_HOST=DOMINIO_A)
        with self.en_a():
            cliente.force_login(self.alice)
            url = self.leccion.url
        cliente.get(url)
        token = cliente.cookies["csrftoken"].value
        respuesta = self.enviar(
            declaracion(self.iri), cliente=cliente, HTTP_X_CSRFTOKEN=token
        )
        self.assertEqual(respuesta.status_code, 200, respuesta.content)

    # --- lo que se rechaza -------------------------------------------------------

    def assert_400(self, cuerpo, fragmento: str) -> None:
        respuesta = self.enviar(cuerpo)
        self.assertEqual(respuesta.status_code, 400, respuesta.content)
        self.assertIn(fragmento, respuesta.json()["error"])
        with self.en_a():
            self.assertFalse(ResultadoH5P.objects.exists())

    def test_json_invalido_es_400(self):
        self.ingresar(self.client_a, "alice")
        self.assert_400("{esto no es json", "no es un JSON válido")

    def test_sin_verbo_es_400(self):
        self.ingresar(self.client_a, "alice")
        datos = declaracion(self.iri)
        del datos["verb"]
        self.assert_400(datos, "le falta el verbo")

    def test_verbo_no_final_es_400(self):
        self.ingresar(self.client_a, "alice")
        self.assert_400(declaracion(self.iri, verbo="interacted"), "Solo se registran")

    def test_puntaje_escalado_fuera_de_rango_es_400(self):
        self.ingresar(self.client_a, "alice")
        self.assert_400(declaracion(self.iri, escalado=1.5), "entre 0 y 1")
        self.assert_400(declaracion(self.iri, escalado=-0.1), "entre 0 y 1")

    def test_puntaje_bruto_sobre_el_maximo_es_400(self):
        self.ingresar(self.client_a, "alice")
        self.assert_400(
            declaracion(self.iri, escalado=1.0, bruto=5, maximo=1), "superar el máximo"
        )

    def test_puntaje_que_no_es_numero_es_400(self):
        self.ingresar(self.client_a, "alice")
        datos = declaracion(self.iri)
        datos["result"]["score"]["scaled"] = "1"
        self.assert_400(datos, "debe ser un número")

    def test_actividad_ajena_es_400(self):
        self.ingresar(self.client_a, "alice")
        with self.en_a():
            ajena = actividad_iri(self.leccion, self.otro.pk)
        self.assert_400(declaracion(ajena), "no corresponde a esta actividad")
        self.assert_400(
            declaracion(self.iri + "?subContentId=1"), "no corresponde a esta actividad"
        )

    def test_subactividad_es_400(self):
        self.ingresar(self.client_a, "alice")
        datos = declaracion(self.iri)
        datos["context"] = {"contextActivities": {"parent": [{"id": "x"}]}}
        self.assert_400(datos, "subactividades")

    def test_sin_sesion_es_403(self):
        respuesta = self.enviar(declaracion(self.iri))
        self.assertIn(respuesta.status_code, (302, 403))
        with self.en_a():
            self.assertFalse(ResultadoH5P.objects.exists())

    def test_sin_csrf_es_403(self):
        cliente = Client(enforce_csrf_checks=True, HTTP_HOST=DOMINIO_A)
        with self.en_a():
            cliente.force_login(self.alice)
        respuesta = self.enviar(declaracion(self.iri), cliente=cliente)
        self.assertEqual(respuesta.status_code, 403)
        with self.en_a():
            self.assertFalse(ResultadoH5P.objects.exists())

    def test_get_no_se_admite(self):
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get(self.url).status_code, 405)

    def test_sin_inscripcion_es_404(self):
        self.ingresar(self.client_a, "edu")
        respuesta = self.enviar(declaracion(self.iri))
        self.assertEqual(respuesta.status_code, 404)

    def test_paquete_que_no_esta_en_la_leccion_es_404(self):
        self.ingresar(self.client_a, "alice")
        self.url = f"/h5p/xapi/{self.leccion.pk}/{self.otro.pk}/"
        with self.en_a():
            iri = actividad_iri(self.leccion, self.otro.pk)
        self.assertEqual(self.enviar(declaracion(iri)).status_code, 404)

    def test_leccion_no_publicada_es_404(self):
        self.ingresar(self.client_a, "alice")
        with self.en_a():
            self.leccion.unpublish()
        self.assertEqual(self.enviar(declaracion(self.iri)).status_code, 404)

    def test_otro_tenant_no_ve_la_actividad(self):
        # Bob, con sesión en beta, apunta a la lección y al paquete de alfa.
        self.ingresar(self.client_b, "bob")
        respuesta = self.enviar(declaracion(self.iri), cliente=self.client_b)
        self.assertIn(respuesta.status_code, (302, 403, 404))
        # La sesión de alice en alfa no sirve con el host de beta.
        self.ingresar(self.client_a, "alice")
        respuesta = self.enviar(declaracion(self.iri), HTTP_HOST=DOMINIO_B)
        self.assertIn(respuesta.status_code, (302, 403, 404))
        with self.en_a():
            self.assertFalse(ResultadoH5P.objects.exists())

    # --- resultados confiables: un resultado falsificado no aprueba --------------

    def test_passed_falsificado_con_scaled_1_sin_respuesta_se_rechaza(self):
        self.ingresar(self.client_a, "alice")
        forjada = declaracion(self.iri, verbo="passed", escalado=1.0, respuesta=None)
        self.assert_400(forjada, "no trae la respuesta")
        self.assertFalse(self.aprobada())
        self.assertFalse(self.completada())

    def test_passed_falsificado_con_respuesta_equivocada_queda_reprobado(self):
        self.ingresar(self.client_a, "alice")
        forjada = declaracion(self.iri, verbo="passed", escalado=1.0, respuesta="true")
        respuesta = self.enviar(forjada)
        self.assertEqual(respuesta.status_code, 200, respuesta.content)
        self.assertFalse(respuesta.json()["aprobado"])
        self.assertEqual(respuesta.json()["puntaje"], 0.0)
        self.assertIn("Necesita 70 %", respuesta.json()["mensaje"])
        with self.en_a():
            resultado = ResultadoH5P.objects.get()
            self.assertEqual(resultado.puntaje_escalado, Decimal("0"))
            self.assertFalse(resultado.exito)
            # La declaración tal como llegó queda para auditoría.
            self.assertEqual(resultado.declaracion["result"]["score"]["scaled"], 1.0)
        self.assertFalse(self.aprobada())
        self.assertFalse(self.completada())

    def test_la_respuesta_correcta_con_puntaje_0_aprueba(self):
        # El servidor califica la respuesta, no el puntaje que trae.
        self.ingresar(self.client_a, "alice")
        respuesta = self.enviar(
            declaracion(self.iri, escalado=0.0, bruto=0, respuesta="false")
        )
        self.assertTrue(respuesta.json()["aprobado"])
        self.assertTrue(self.completada())

    def test_respuesta_que_no_es_verdadero_o_falso_es_400(self):
        self.ingresar(self.client_a, "alice")
        self.assert_400(declaracion(self.iri, respuesta="quizas"), "«true» o «false»")

    def test_el_resultado_de_un_tipo_de_terceros_no_reemplaza_la_evaluacion_final(
        self,
    ):
        from cursos.models import Inscripcion, LeccionPage
        from cursos.services import requisitos_cumplidos
        from evaluaciones.models import Evaluacion
        from tests.evaluaciones.factories import evaluacion_crear

        with self.en_a():
            # La lección exige solo la actividad de terceros.
            leccion = leccion_agregar(
                self.curso,
                title="Solo terceros",
                slug="solo-terceros",
                cuerpo=[pq.bloque_h5p(self.tercero)],
            )
            iri = actividad_iri(leccion, self.tercero.pk)
            inscripcion = Inscripcion.objects.get(usuario=self.alice, curso=self.curso)
            for otra in LeccionPage.objects.live().child_of(self.curso):
                if otra.pk != leccion.pk:
                    LeccionCompletada.objects.get_or_create(
                        inscripcion=inscripcion, leccion=otra
                    )
            if not Evaluacion.objects.filter(curso=self.curso).exists():
                evaluacion_crear(reglas=[], curso=self.curso)
        self.ingresar(self.client_a, "alice")
        respuesta = self.enviar(
            declaracion(iri, verbo="passed", respuesta=None),
            url=f"/h5p/xapi/{leccion.pk}/{self.tercero.pk}/",
        )
        self.assertEqual(respuesta.status_code, 200, respuesta.content)
        # El resultado de terceros completa su lección…
        self.assertTrue(respuesta.json()["aprobado"])
        with self.en_a():
            self.assertTrue(
                LeccionCompletada.objects.filter(
                    inscripcion=inscripcion, leccion=leccion
                ).exists()
            )
            # …pero el curso sigue sin completarse: falta la evaluación final,
            # calificada en el servidor. Sin ella, la regla se cumpliría.
            inscripcion.refresh_from_db()
            self.assertIsNone(inscripcion.completado_at)
            self.assertFalse(requisitos_cumplidos(inscripcion=inscripcion))
            Evaluacion.objects.filter(curso=self.curso).update(curso=None)
            self.assertTrue(requisitos_cumplidos(inscripcion=inscripcion))
