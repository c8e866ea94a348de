"""Issue 13, hallazgo 11: defectos del quiz, cada uno con su prueba.

- Una pregunta de selección única sin opción correcta no se guarda (administrador e
  importación), con un error en español.
- Un envío vacío pide confirmación y no gasta el intento si no se confirma.
- Las respuestas correctas se muestran al aprobar o al usar el último intento, nunca
  antes.
- La cuenta regresiva del tiempo límite se ve, es accesible y viene de un archivo
  estático (CSP: sin scripts en línea).
"""

from __future__ import annotations

import re

from django.test import Client

from evaluaciones.importacion import preguntas_importar
from evaluaciones.models import Evaluacion, Intento, Pregunta
from tests.base import CLAVE, DOMINIO_A
from tests.evaluaciones.base import EvaluacionesTestCase, url_intento
from tests.evaluaciones.factories import respuestas_incorrectas
from tests.evaluaciones.test_importacion import _archivo, _fila, libro_xlsx

SIN_CORRECTA = "Marque una opción correcta"


class UnicaSinCorrectaTests(EvaluacionesTestCase):
    url = "/admin/snippets/evaluaciones/pregunta/add/"

    def _admin(self) -> Client:
        cliente = Client(HTTP_HOST=DOMINIO_A)
        respuesta = cliente.post(
            "/admin/login/", {"username": "edu", "password": CLAVE}
        )
        self.assertEqual(respuesta.status_code, 302)
        return cliente

    def _datos(self, *, tipo: str, correctas: set[int]) -> dict:
        datos = {
            "codigo": "ADMIN-1",
            "categoria": self.categoria.pk,
            "tipo": tipo,
            "enunciado": "¿Qué ley tipificó la trata de personas en Chile?",
            "retroalimentacion": "",
            "activa": "on",
            "opciones-TOTAL_FORMS": "3",
            "opciones-INITIAL_FORMS": "0",
            "opciones-MIN_NUM_FORMS": "2",
            "opciones-MAX_NUM_FORMS": "1000",
        }
        for n, texto in enumerate(["Ley 20.507", "Ley 21.057", "Ley 21.325"]):
            datos.update(
                {
                    f"opciones-{n}-texto": texto,
                    f"opciones-{n}-pareja": "",
                    f"opciones-{n}-retroalimentacion": "",
                    f"opciones-{n}-ORDER": str(n + 1),
                    f"opciones-{n}-id": "",
                    f"opciones-{n}-DELETE": "",
                }
            )
            if n in correctas:
                datos[f"opciones-{n}-es_correcta"] = "on"
        return datos

    def test_el_administrador_no_guarda_una_unica_sin_correcta(self):
        edu = self._admin()
        respuesta = edu.post(self.url, self._datos(tipo="unica", correctas=set()))
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, SIN_CORRECTA)
        with self.en_a():
            self.assertFalse(Pregunta.objects.filter(codigo="ADMIN-1").exists())

    def test_el_administrador_no_guarda_una_unica_con_dos_correctas(self):
        edu = self._admin()
        respuesta = edu.post(self.url, self._datos(tipo="unica", correctas={0, 1}))
        self.assertContains(respuesta, "admite una sola opción correcta")
        with self.en_a():
            self.assertFalse(Pregunta.objects.filter(codigo="ADMIN-1").exists())

    def test_el_administrador_guarda_una_unica_con_su_correcta(self):
        edu = self._admin()
        respuesta = edu.post(self.url, self._datos(tipo="unica", correctas={0}))
        self.assertEqual(respuesta.status_code, 302, respuesta.content[-2000:])
        with self.en_a():
            pregunta = Pregunta.objects.get(codigo="ADMIN-1")
            self.assertEqual(
                [o.texto for o in pregunta.opciones.filter(es_correcta=True)],
                ["Ley 20.507"],
            )

    def test_la_importacion_rechaza_una_unica_sin_correcta(self):
        filas = [
            _fila("IMP-1", "unica", "¿Sin correcta?", ["A", "B"], ""),
            _fila("IMP-2", "vf", "¿Sin correcta?", ["Verdadero", "Falso"], ""),
            _fila("IMP-3", "unica", "¿Con correcta?", ["A", "B"], "2"),
        ]
        with self.en_a():
            resultado = preguntas_importar(_archivo(libro_xlsx(filas)))
            errores = dict(resultado.errores)
            self.assertIn(2, errores)
            self.assertIn(3, errores)
            # Todo o nada: con filas rechazadas no se aplica ninguna.
            self.assertEqual(resultado.creadas, 0)
            self.assertFalse(
                Pregunta.objects.filter(codigo__startswith="IMP-").exists()
            )


class EnvioVacioTests(EvaluacionesTestCase):
    campos_evaluacion = {"intentos_max": 2}

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def test_un_envio_vacio_pide_confirmacion_y_no_gasta_el_intento(self):
        intento = self.intento_nuevo()
        respuesta = self.client_a.post(url_intento(intento, "enviar"), {})
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, "¿Enviar sin respuestas?")
        self.assertContains(respuesta, "No respondió ninguna pregunta")
        self.assertContains(respuesta, 'name="confirmar_vacio" value="1"')
        with self.en_a():
            intento.refresh_from_db()
            self.assertEqual(intento.estado, Intento.Estado.ABIERTO)
            self.assertFalse(
                Intento.objects.filter(estado=Intento.Estado.CALIFICADO).exists()
            )
        detalle = self.client_a.get(f"/evaluaciones/{self.evaluacion.pk}/")
        self.assertContains(detalle, "le quedan 1")

    def test_confirmado_el_envio_vacio_se_califica_con_cero(self):
        intento = self.intento_nuevo()
        respuesta = self.client_a.post(
            url_intento(intento, "enviar"), {"confirmar_vacio": "1"}
        )
        self.assertRedirects(
            respuesta, url_intento(intento, "resultado"), fetch_redirect_response=False
        )
        with self.en_a():
            intento.refresh_from_db()
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
        self.assertEqual(intento.puntaje, 0)

    def test_con_una_sola_respuesta_no_pide_confirmacion(self):
        intento = self.intento_nuevo()
        with self.en_a():
            incorrectas = respuestas_incorrectas(intento)
        clave, valor = next(iter(incorrectas.items()))
        respuesta = self.enviar(intento, {clave: valor})
        self.assertEqual(respuesta.status_code, 302)
        with self.en_a():
            intento.refresh_from_db()
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)


class RespuestasCorrectasTests(EvaluacionesTestCase):
    campos_evaluacion = {
        "intentos_max": 3,
        "retroalimentacion": Evaluacion.Retroalimentacion.CADA_ENVIO,
    }

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def _rendir_mal(self) -> str:
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_incorrectas(intento)
        self.enviar(intento, respuestas)
        return self.client_a.get(url_intento(intento, "resultado")).content.decode()

    def test_no_se_muestran_tras_reprobar_con_intentos_por_delante(self):
        for _vez in range(2):
            contenido = self._rendir_mal()
            self.assertNotIn("Revisión", contenido)
            self.assertNotIn("RETRO-", contenido)
            self.assertNotIn("<strong>correcta</strong>", contenido)
            self.assertIn(
                "Las respuestas correctas se muestran cuando apruebe o cuando use "
                "su último intento.",
                contenido,
            )

    def test_se_muestran_al_usar_el_ultimo_intento(self):
        for _vez in range(2):
            self._rendir_mal()
        contenido = self._rendir_mal()
        self.assertIn("Revisión", contenido)
        self.assertIn("<strong>correcta</strong>", contenido)


class CuentaRegresivaTests(EvaluacionesTestCase):
    campos_evaluacion = {"tiempo_limite_min": 15}

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def test_el_intento_muestra_un_temporizador_accesible_sin_script_en_linea(self):
        intento = self.intento_nuevo()
        respuesta = self.client_a.get(url_intento(intento))
        contenido = respuesta.content.decode()
        self.assertIn('role="timer"', contenido)
        self.assertIn("Tiempo restante", contenido)
        restante = int(re.search(r'data-restante="(\d+)"', contenido).group(1))
        self.assertTrue(14 * 60 < restante <= 15 * 60)
        self.assertIn("js/cuenta-regresiva.js", contenido)
        # Ningún script en línea: todos traen src.
        for etiqueta in re.findall(r"<script[^>]*>", contenido):
            self.assertIn("src=", etiqueta)
        self.assertIn("script-src", respuesta["Content-Security-Policy"])
        self.assertNotIn(
            "unsafe-inline",
            respuesta["Content-Security-Policy"].split("script-src")[1].split(";")[0],
        )

    def test_sin_tiempo_limite_no_hay_temporizador(self):
        self.evaluacion_cambiar(tiempo_limite_min=None)
        intento = self.intento_nuevo()
        respuesta = self.client_a.get(url_intento(intento))
        self.assertNotContains(respuesta, 'role="timer"')
        self.assertNotContains(respuesta, "cuenta-regresiva.js")
