"""Formularios manipulados, intentos ajenos, reenvíos y aislamiento entre tenants."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from evaluaciones.models import Intento, Pregunta
from evaluaciones.services import intento_enviar
from tests.base import DOMINIO_A
from tests.cursos.factories import UsuarioFactory
from tests.evaluaciones.base import EvaluacionesTestCase, mensajes, url_intento
from tests.evaluaciones.factories import (
    CategoriaFactory,
    evaluacion_crear,
    pregunta_unica,
    respuestas_correctas,
    respuestas_incorrectas,
)

MANIPULADA = "La respuesta no corresponde a las preguntas de este intento."


class ManipulacionTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")
        self.intento_a = self.intento_nuevo()
        with self.en_a():
            self.correctas = respuestas_correctas(self.intento_a)
            tipos = dict(
                Pregunta.objects.filter(
                    pk__in=[p.pk for p in self.preguntas]
                ).values_list("tipo", "pk")
            )
            # Una pregunta del banco que no salió en el sorteo.
            self.fuera = pregunta_unica(CategoriaFactory(nombre="Fuera del sorteo"))
            self.opcion_fuera = self.fuera.opciones.first().pk
        self.unica = str(tipos[Pregunta.Tipo.UNICA])
        self.vf = str(tipos[Pregunta.Tipo.VERDADERO_FALSO])
        self.pareo = str(tipos[Pregunta.Tipo.PAREO])
        # Una opción que sí está en el intento, pero de otra pregunta.
        self.opcion_ajena = self.correctas[self.vf][0]

    def _sin_cambios(self):
        intento = self.intento(self.intento_a.pk)
        self.assertEqual(intento.estado, Intento.Estado.ABIERTO)
        self.assertEqual(intento.respuestas, {})
        self.assertIsNone(intento.puntaje)
        return intento

    def test_opcion_de_otra_pregunta_en_el_autoguardado_responde_400(self):
        for manipulada in (
            {self.unica: [self.opcion_ajena]},
            {self.unica: [self.opcion_fuera]},
            {str(self.fuera.pk): [self.opcion_fuera]},
            {self.unica: ["uno"]},
            {self.unica: [{"id": 1}]},
            {self.pareo: [self.opcion_ajena]},
            {self.pareo: {str(self.opcion_ajena): "PDI"}},
            # Lo válido junto a lo manipulado tampoco se guarda.
            {self.vf: self.correctas[self.vf], self.unica: [self.opcion_ajena]},
        ):
            with self.subTest(manipulada=manipulada):
                response = self.guardar(self.intento_a, manipulada)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"error": MANIPULADA})
        self._sin_cambios()

    def test_pareo_con_una_clave_que_no_es_numero_responde_400(self):
        self.client_a.raise_request_exception = False
        response = self.guardar(self.intento_a, {self.pareo: {"abc": "PDI"}})
        self.assertEqual(response.status_code, 400)
        self._sin_cambios()

    def test_opcion_de_otra_pregunta_al_enviar_muestra_error_y_no_guarda_nada(self):
        respuestas = dict(self.correctas)
        respuestas[self.unica] = [self.opcion_ajena]
        response = self.enviar(self.intento_a, respuestas)
        self.assertRedirects(
            response, url_intento(self.intento_a), fetch_redirect_response=False
        )
        self.assertIn(MANIPULADA, mensajes(response))
        self._sin_cambios()

    def test_valor_no_numerico_al_enviar_muestra_error_y_no_guarda_nada(self):
        response = self.client_a.post(
            url_intento(self.intento_a, "enviar"), {f"p{self.unica}": "x'; DROP"}
        )
        self.assertRedirects(
            response, url_intento(self.intento_a), fetch_redirect_response=False
        )
        self.assertIn(MANIPULADA, mensajes(response))
        self._sin_cambios()

    def test_json_mal_formado_en_el_autoguardado_responde_400(self):
        url = url_intento(self.intento_a, "guardar")
        for cuerpo in ("{no es json", "[1, 2]", '"texto"', "null", "\xff"):
            with self.subTest(cuerpo=cuerpo):
                response = self.client_a.post(
                    url, data=cuerpo, content_type="application/json"
                )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"error": "Solicitud mal formada."})
        self.assertEqual(self.client_a.get(url).status_code, 405)
        self._sin_cambios()

    def test_el_intento_de_otra_persona_responde_404(self):
        with self.en_a():
            UsuarioFactory(username="carla")
        otra = Client(HTTP_HOST=DOMINIO_A)
        self.ingresar(otra, "carla")
        intento = self.intento_a
        self.assertEqual(otra.get(url_intento(intento)).status_code, 404)
        self.assertEqual(otra.get(url_intento(intento, "resultado")).status_code, 404)
        self.assertEqual(
            self.guardar(
                intento, {self.unica: self.correctas[self.unica]}, otra
            ).status_code,
            404,
        )
        self.assertEqual(self.enviar(intento, self.correctas, otra).status_code, 404)
        self._sin_cambios()
        # Ni siquiera calificado se deja ver.
        self.enviar(intento, self.correctas)
        self.assertEqual(otra.get(url_intento(intento, "resultado")).status_code, 404)
        # La encargada tampoco entra a los intentos de otra persona por estas rutas.
        encargada = Client(HTTP_HOST=DOMINIO_A)
        self.ingresar(encargada, "olga")
        self.assertEqual(
            encargada.get(url_intento(intento, "resultado")).status_code, 404
        )

    def test_el_servicio_no_envia_el_intento_de_otra_persona(self):
        with self.en_a():
            with self.assertRaises(Intento.DoesNotExist):
                intento_enviar(
                    intento_id=self.intento_a.pk,
                    usuario=self.olga,
                    respuestas=self.correctas,
                )
        self._sin_cambios()

    def test_sin_sesion_se_pide_ingresar(self):
        anonimo = Client(HTTP_HOST=DOMINIO_A)
        for url in (
            url_intento(self.intento_a),
            url_intento(self.intento_a, "resultado"),
        ):
            response = anonimo.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/ingresar/", response["Location"])
        response = anonimo.post(url_intento(self.intento_a, "enviar"), {})
        self.assertEqual(response.status_code, 302)
        self._sin_cambios()

    def test_reenviar_un_intento_calificado_devuelve_la_nota_sin_recalificar(self):
        with self.en_a():
            incorrectas = respuestas_incorrectas(self.intento_a)
        self.enviar(self.intento_a, incorrectas)
        calificado = self.intento(self.intento_a.pk)
        self.assertEqual(calificado.puntaje, Decimal("0.00"))

        response = self.enviar(self.intento_a, self.correctas)
        self.assertRedirects(
            response,
            url_intento(self.intento_a, "resultado"),
            fetch_redirect_response=False,
        )
        self.assertEqual(self.guardar(self.intento_a, self.correctas).status_code, 409)
        with self.en_a():
            devuelto = intento_enviar(
                intento_id=self.intento_a.pk,
                usuario=self.alice,
                respuestas=self.correctas,
            )
        self.assertEqual(devuelto.puntaje, Decimal("0.00"))
        despues = self.intento(self.intento_a.pk)
        self.assertEqual(despues.puntaje, Decimal("0.00"))
        self.assertFalse(despues.aprobado)
        self.assertEqual(despues.calificado_at, calificado.calificado_at)
        self.assertEqual(despues.respuestas, calificado.respuestas)
        self.assertEqual(despues.detalle, calificado.detalle)


class AislamientoEntreTenantsTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")
        self.intento_a = self.intento_nuevo()
        with self.en_a():
            self.correctas = respuestas_correctas(self.intento_a)
        self.ingresar(self.client_b, "bob")

    def test_bob_en_beta_no_alcanza_los_intentos_de_alfa(self):
        intento = self.intento_a
        self.assertEqual(self.client_b.get(url_intento(intento)).status_code, 404)
        self.assertEqual(
            self.client_b.get(url_intento(intento, "resultado")).status_code, 404
        )
        self.assertEqual(
            self.guardar(intento, self.correctas, self.client_b).status_code, 404
        )
        self.assertEqual(
            self.enviar(intento, self.correctas, self.client_b).status_code, 404
        )
        self.assertEqual(
            self.client_b.get(f"/evaluaciones/{self.evaluacion.pk}/").status_code, 404
        )

    def test_la_sesion_de_bob_no_sirve_en_el_host_de_alfa(self):
        intruso = Client(HTTP_HOST=DOMINIO_A)
        intruso.cookies = self.client_b.cookies
        for response in (
            intruso.get(url_intento(self.intento_a)),
            intruso.get(url_intento(self.intento_a, "resultado")),
            self.enviar(self.intento_a, self.correctas, intruso),
            self.guardar(self.intento_a, self.correctas, intruso),
        ):
            self.assertEqual(response.status_code, 302)
            self.assertIn("/ingresar/", response["Location"])
        intento = self.intento(self.intento_a.pk)
        self.assertEqual(intento.estado, Intento.Estado.ABIERTO)
        self.assertEqual(intento.respuestas, {})


class VistaEncargadoTests(EvaluacionesTestCase):
    url = "/evaluaciones/encargado/"

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_correctas(intento)
        self.enviar(intento, respuestas)
        # Un intento abierto no aparece en el listado de puntajes.
        with self.en_a():
            self.abierta = evaluacion_crear(
                reglas=[(self.categoria, 1)], titulo="Evaluación aún abierta"
            )
        self.intento_nuevo(evaluacion=self.abierta)
        # En beta, bob rinde una evaluación con un título inconfundible.
        with self.en_b():
            categoria = CategoriaFactory(nombre="Banco beta")
            pregunta_unica(categoria, codigo="BETA-1")
            self.evaluacion_b = evaluacion_crear(
                reglas=[(categoria, 1)], titulo="Evaluación secreta de beta"
            )
        self.ingresar(self.client_b, "bob")
        response = self.iniciar(self.client_b, self.evaluacion_b)
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        with self.en_b():
            intento_b = Intento.objects.get(pk=pk)
            respuestas_b = respuestas_correctas(intento_b)
        self.enviar(intento_b, respuestas_b, self.client_b)
        with self.en_b():
            self.assertEqual(
                Intento.objects.get(pk=pk).estado, Intento.Estado.CALIFICADO
            )

    def test_la_persona_aprendiz_no_entra_a_la_vista_del_encargado(self):
        self.assertEqual(self.client_a.get(self.url).status_code, 403)
        self.assertEqual(self.client_b.get(self.url).status_code, 403)
        response = Client(HTTP_HOST=DOMINIO_A).get(self.url)
        self.assertEqual(response.status_code, 302)

    def test_la_encargada_ve_intentos_y_puntajes_solo_de_su_tenant(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Alice Alfa")
        self.assertContains(response, self.evaluacion.titulo)
        self.assertContains(response, "100 %")
        self.assertContains(response, "Aprobado")
        self.assertNotContains(response, "Evaluación secreta de beta")
        self.assertNotContains(response, "Bob")
        intentos = list(response.context["intentos"])
        self.assertEqual(len(intentos), 1)
        self.assertEqual(intentos[0].usuario_id, self.alice.pk)

        # El filtro por evaluación deja fuera las demás.
        response = self.client_a.get(self.url, {"evaluacion": self.abierta.pk})
        self.assertContains(response, "Aún no hay intentos calificados.")
