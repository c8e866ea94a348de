"""Ciclo de un intento: comenzar, autoguardar, enviar, tiempo, reglas y revisión."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from cursos.models import Inscripcion
from cursos.services import inscripcion_crear, leccion_completar
from cursos.signals import curso_completado
from evaluaciones.models import Evaluacion, Intento, Opcion, Pregunta
from evaluaciones.services import GRACIA, intento_iniciar, intentos_vencidos_cerrar
from evaluaciones.tasks import intentos_vencidos_cerrar_task
from tests.cursos.factories import UsuarioFactory, curso_por_clave, lecciones_de
from tests.evaluaciones.base import EvaluacionesTestCase, mensajes, url_intento
from tests.evaluaciones.factories import respuestas_correctas, respuestas_incorrectas

SANTIAGO = ZoneInfo("America/Santiago")
# Lunes 6 de abril de 2026, 10:00 en Santiago (UTC−4, ya sin horario de verano).
INICIO = dt.datetime(2026, 4, 6, 10, 0, tzinfo=SANTIAGO)


def _marcada(contenido: str, pregunta: int, opcion: int) -> bool:
    return f'name="p{pregunta}" value="{opcion}" checked' in contenido


def _pareja_elegida(contenido: str, pregunta: int, opcion: int) -> str | None:
    bloque = re.search(
        rf'<select id="p{pregunta}_{opcion}"[^>]*>(.*?)</select>', contenido, re.S
    )
    assert bloque, f"no está el selector de p{pregunta}_{opcion}"
    elegida = re.search(r'<option value="([^"]*)" selected>', bloque.group(1))
    return elegida.group(1) if elegida else None


def _por_tipo(intento: Intento) -> dict[str, int]:
    ids = [p["pregunta"] for p in intento.preguntas]
    return {p.tipo: p.pk for p in Pregunta.objects.filter(pk__in=ids)}


class ComenzarIntentoTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def test_comenzar_crea_un_intento_abierto_con_las_preguntas_sorteadas(self):
        response = self.client_a.get(f"/evaluaciones/{self.evaluacion.pk}/")
        self.assertContains(response, "Intentos permitidos: 3 (le quedan 3).")

        intento = self.intento_nuevo()
        self.assertEqual(intento.usuario_id, self.alice.pk)
        self.assertEqual(intento.numero, 1)
        self.assertEqual(intento.estado, Intento.Estado.ABIERTO)
        self.assertIsNone(intento.vence_at)
        self.assertEqual(intento.respuestas, {})
        sorteadas = {p["pregunta"] for p in intento.preguntas}
        self.assertEqual(sorteadas, {p.pk for p in self.preguntas})
        with self.en_a():
            for item in intento.preguntas:
                opciones = Opcion.objects.filter(pregunta_id=item["pregunta"])
                self.assertCountEqual(item["opciones"], [o.pk for o in opciones])

        # Volver a «Comenzar» continúa el mismo intento abierto.
        self.assertEqual(self.intento_nuevo().pk, intento.pk)
        with self.en_a():
            self.assertEqual(Intento.objects.count(), 1)

    def test_el_sorteo_toma_la_cantidad_de_la_regla(self):
        with self.en_a():
            self.evaluacion.reglas.update(cantidad=2)
        intento = self.intento_nuevo()
        self.assertEqual(len(intento.preguntas), 2)

    def test_sin_preguntas_activas_no_se_puede_comenzar(self):
        with self.en_a():
            Pregunta.objects.filter(categoria=self.categoria).update(activa=False)
        response = self.iniciar()
        self.assertRedirects(
            response,
            f"/evaluaciones/{self.evaluacion.pk}/",
            fetch_redirect_response=False,
        )
        self.assertIn(
            "La evaluación aún no tiene preguntas disponibles.", mensajes(response)
        )
        with self.en_a():
            self.assertFalse(Intento.objects.exists())

    def test_la_pagina_del_intento_no_revela_las_respuestas_correctas(self):
        intento = self.intento_nuevo()
        response = self.client_a.get(url_intento(intento))
        self.assertEqual(response.status_code, 200)
        contenido = response.content.decode()
        with self.en_a():
            preguntas = list(
                Pregunta.objects.filter(pk__in=[p.pk for p in self.preguntas])
            )
            opciones = list(Opcion.objects.filter(pregunta__in=preguntas))
        for pregunta in preguntas:
            self.assertIn(pregunta.enunciado, contenido)
            self.assertNotIn(pregunta.retroalimentacion, contenido)
        for opcion in opciones:
            self.assertNotIn(opcion.retroalimentacion, contenido)
        self.assertNotIn("RETRO-", contenido)
        self.assertNotIn("es_correcta", contenido)
        self.assertNotIn("correcta", contenido.lower())
        # Nada viene marcado ni preseleccionado antes de responder.
        self.assertNotIn(" checked", contenido)
        self.assertNotIn(" selected", contenido)

        # Tras enviar, con la política «después de cada envío», la revisión muestra la
        # retroalimentación general y la de las opciones elegidas.
        with self.en_a():
            respuestas = respuestas_correctas(intento)
            por_tipo = _por_tipo(intento)
        self.enviar(intento, respuestas)
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, "Revisión")
        self.assertContains(response, "100 %")
        for pregunta in preguntas:
            self.assertContains(response, pregunta.retroalimentacion)
        unica = por_tipo[Pregunta.Tipo.UNICA]
        with self.en_a():
            elegida = Opcion.objects.get(pk=respuestas[str(unica)][0])
        self.assertContains(response, elegida.retroalimentacion)
        self.assertContains(response, "<strong>correcta</strong>", html=False)

    def test_el_autoguardado_conserva_las_respuestas_al_recargar(self):
        intento = self.intento_nuevo()
        with self.en_a():
            correctas = respuestas_correctas(intento)
            por_tipo = _por_tipo(intento)
        unica = por_tipo[Pregunta.Tipo.UNICA]
        multiple = por_tipo[Pregunta.Tipo.MULTIPLE]
        pareo = por_tipo[Pregunta.Tipo.PAREO]

        response = self.guardar(intento, {str(unica): correctas[str(unica)]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"guardado": True})
        # Un segundo autoguardado se mezcla con el primero: no lo borra.
        parcial = {str(multiple): correctas[str(multiple)][:2]}
        pares = correctas[str(pareo)]
        parcial[str(pareo)] = dict(list(pares.items())[:2])
        self.assertEqual(self.guardar(intento, parcial).status_code, 200)

        intento = self.intento(intento.pk)
        self.assertEqual(intento.respuestas[str(unica)], correctas[str(unica)])
        self.assertEqual(len(intento.respuestas[str(multiple)]), 2)

        contenido = self.client_a.get(url_intento(intento)).content.decode()
        self.assertTrue(_marcada(contenido, unica, correctas[str(unica)][0]))
        for opcion in correctas[str(multiple)][:2]:
            self.assertTrue(_marcada(contenido, multiple, opcion))
        self.assertFalse(_marcada(contenido, multiple, correctas[str(multiple)][2]))
        opciones_pareo = list(pares.items())
        for opcion, pareja in opciones_pareo[:2]:
            self.assertEqual(_pareja_elegida(contenido, pareo, opcion), pareja)
        self.assertIsNone(_pareja_elegida(contenido, pareo, opciones_pareo[2][0]))

        # Desmarcar todas las casillas de una pregunta también se guarda.
        self.assertEqual(self.guardar(intento, {str(multiple): []}).status_code, 200)
        contenido = self.client_a.get(url_intento(intento)).content.decode()
        for opcion in correctas[str(multiple)]:
            self.assertFalse(_marcada(contenido, multiple, opcion))

    def test_enviar_califica_en_el_servidor_y_muestra_el_resultado(self):
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_correctas(intento)
            por_tipo = _por_tipo(intento)
        # La pregunta de pareo queda con un solo par bien unido (1/3).
        pareo = str(por_tipo[Pregunta.Tipo.PAREO])
        primero = next(iter(respuestas[pareo]))
        respuestas[pareo] = {primero: respuestas[pareo][primero]}

        response = self.enviar(intento, respuestas)
        self.assertRedirects(
            response, url_intento(intento, "resultado"), fetch_redirect_response=False
        )
        intento = self.intento(intento.pk)
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
        self.assertIsNotNone(intento.calificado_at)
        # (1 + 1 + 1 + 1/3) / 4 = 83,33 %
        self.assertEqual(intento.puntaje, Decimal("83.33"))
        self.assertTrue(intento.aprobado)
        self.assertAlmostEqual(intento.detalle[pareo], 1 / 3)
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, "83 %")
        self.assertContains(response, "Aprobado")
        # La página del intento calificado lleva al resultado.
        self.assertRedirects(
            self.client_a.get(url_intento(intento)),
            url_intento(intento, "resultado"),
            fetch_redirect_response=False,
        )

    def test_desmarcar_todo_antes_de_enviar_deja_la_pregunta_sin_respuesta(self):
        """Lo enviado en el formulario manda sobre lo autoguardado antes.

        Una respuesta múltiple incorrecta que se autoguardó y luego se desmarcó no debe
        restar: el formulario enviado ya no la trae.
        """
        intento = self.intento_nuevo()
        with self.en_a():
            correctas = respuestas_correctas(intento)
            incorrectas = respuestas_incorrectas(intento)
            multiple = str(_por_tipo(intento)[Pregunta.Tipo.MULTIPLE])
        self.guardar(intento, {multiple: incorrectas[multiple]})
        enviadas = {k: v for k, v in correctas.items() if k != multiple}
        self.enviar(intento, enviadas)
        intento = self.intento(intento.pk)
        self.assertNotIn(
            incorrectas[multiple][0],
            intento.respuestas.get(multiple) or [],
            "lo autoguardado y luego desmarcado se calificó igual",
        )
        self.assertEqual(intento.puntaje, Decimal("75.00"))

    def test_una_respuesta_reprobada_no_aprueba(self):
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_incorrectas(intento)
        self.enviar(intento, respuestas)
        intento = self.intento(intento.pk)
        self.assertEqual(intento.puntaje, Decimal("0.00"))
        self.assertFalse(intento.aprobado)
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, "No aprobado")
        self.assertContains(response, "Ver intentos")


class TiempoLimiteTests(EvaluacionesTestCase):
    campos_evaluacion = {"tiempo_limite_min": 10}

    def _comenzar(self, viaje):
        self.ingresar(self.client_a, "alice")
        intento = self.intento_nuevo()
        self.assertEqual(intento.vence_at, INICIO + dt.timedelta(minutes=10))
        with self.en_a():
            correctas = respuestas_correctas(intento)
            unica = str(_por_tipo(intento)[Pregunta.Tipo.UNICA])
        viaje.shift(dt.timedelta(minutes=2))
        response = self.guardar(intento, {unica: correctas[unica]})
        self.assertEqual(response.status_code, 200)
        return intento, correctas

    def test_la_pagina_muestra_la_hora_limite(self):
        with time_machine.travel(INICIO, tick=False) as viaje:
            intento, _correctas = self._comenzar(viaje)
            response = self.client_a.get(url_intento(intento))
        self.assertContains(response, "Debe enviar antes de las")
        self.assertContains(response, "10:10")

    def test_al_vencer_el_tiempo_la_pagina_cierra_y_califica_lo_autoguardado(self):
        with time_machine.travel(INICIO, tick=False) as viaje:
            intento, _correctas = self._comenzar(viaje)
            viaje.shift(dt.timedelta(minutes=8) + GRACIA + dt.timedelta(seconds=1))
            response = self.client_a.get(url_intento(intento))
        self.assertRedirects(
            response, url_intento(intento, "resultado"), fetch_redirect_response=False
        )
        self.assertIn(
            "Se acabó el tiempo: su intento fue calificado.", mensajes(response)
        )
        intento = self.intento(intento.pk)
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
        self.assertEqual(intento.puntaje, Decimal("25.00"))

    def test_un_envio_tardio_ignora_sus_respuestas_y_cuenta_lo_autoguardado(self):
        with time_machine.travel(INICIO, tick=False) as viaje:
            intento, correctas = self._comenzar(viaje)
            viaje.shift(dt.timedelta(minutes=8) + GRACIA + dt.timedelta(seconds=1))
            response = self.enviar(intento, correctas)
        self.assertRedirects(
            response, url_intento(intento, "resultado"), fetch_redirect_response=False
        )
        intento = self.intento(intento.pk)
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
        self.assertEqual(intento.puntaje, Decimal("25.00"))
        self.assertEqual(len(intento.respuestas), 1)

    def test_dentro_de_la_gracia_el_envio_cuenta_pero_el_autoguardado_no(self):
        with time_machine.travel(INICIO, tick=False) as viaje:
            intento, correctas = self._comenzar(viaje)
            viaje.shift(dt.timedelta(minutes=8, seconds=10))
            response = self.guardar(intento, correctas)
            self.assertEqual(response.status_code, 409)
            self.assertIn("cerrado", response.json()["error"])
            self.enviar(intento, correctas)
        intento = self.intento(intento.pk)
        self.assertEqual(intento.puntaje, Decimal("100.00"))

    def test_comenzar_con_un_intento_vencido_lo_califica_y_abre_otro(self):
        with time_machine.travel(INICIO, tick=False) as viaje:
            intento, _correctas = self._comenzar(viaje)
            viaje.shift(dt.timedelta(hours=1))
            nuevo = self.intento_nuevo()
        self.assertNotEqual(nuevo.pk, intento.pk)
        self.assertEqual(nuevo.numero, 2)
        intento = self.intento(intento.pk)
        self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
        self.assertEqual(intento.puntaje, Decimal("25.00"))

    def test_intentos_vencidos_cerrar_califica_solo_los_abiertos_vencidos(self):
        with self.en_a():
            sin_limite = Evaluacion.objects.get(pk=self.evaluacion.pk)
            sin_limite.pk = None
            sin_limite.tiempo_limite_min = None
            sin_limite.save()
            sin_limite.reglas.create(categoria=self.categoria, cantidad=4)
            otro = UsuarioFactory()
            with time_machine.travel(INICIO, tick=False) as viaje:
                vencido = intento_iniciar(
                    usuario=self.alice, evaluacion=self.evaluacion
                )
                eterno = intento_iniciar(usuario=self.alice, evaluacion=sin_limite)
                viaje.shift(dt.timedelta(minutes=5))
                vigente = intento_iniciar(usuario=otro, evaluacion=self.evaluacion)
                # Vencido el primero (10 min + gracia) pero no el segundo.
                viaje.shift(dt.timedelta(minutes=5) + GRACIA + dt.timedelta(seconds=1))
                self.assertEqual(intentos_vencidos_cerrar(), 1)
                self.assertEqual(intentos_vencidos_cerrar(), 0)
                viaje.shift(dt.timedelta(minutes=5))
                self.assertEqual(intentos_vencidos_cerrar_task(), 1)
            estados = dict(
                Intento.objects.filter(
                    pk__in=[vencido.pk, eterno.pk, vigente.pk]
                ).values_list("pk", "estado")
            )
        self.assertEqual(
            estados,
            {
                vencido.pk: Intento.Estado.CALIFICADO,
                vigente.pk: Intento.Estado.CALIFICADO,
                eterno.pk: Intento.Estado.ABIERTO,
            },
        )


class ReglasDeIntentosTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def _reprobar(self) -> Intento:
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_incorrectas(intento)
        self.enviar(intento, respuestas)
        return self.intento(intento.pk)

    def test_no_se_puede_pasar_del_maximo_de_intentos(self):
        self.evaluacion_cambiar(intentos_max=2)
        self.assertEqual(self._reprobar().numero, 1)
        self.assertEqual(self._reprobar().numero, 2)
        response = self.iniciar()
        self.assertRedirects(
            response,
            f"/evaluaciones/{self.evaluacion.pk}/",
            fetch_redirect_response=False,
        )
        self.assertIn("Ya usó los 2 intentos permitidos.", mensajes(response))
        with self.en_a():
            self.assertEqual(Intento.objects.filter(usuario=self.alice).count(), 2)
        response = self.client_a.get(f"/evaluaciones/{self.evaluacion.pk}/")
        self.assertContains(response, "(le quedan 0)")

    def test_entre_intentos_hay_que_esperar_lo_configurado(self):
        self.evaluacion_cambiar(espera_min=30)
        with time_machine.travel(INICIO, tick=False) as viaje:
            self._reprobar()  # calificado a las 10:00
            viaje.shift(dt.timedelta(minutes=20))
            response = self.iniciar()
            self.assertIn(
                "Podrá intentarlo de nuevo a partir de las 10:30.", mensajes(response)
            )
            with self.en_a():
                self.assertEqual(Intento.objects.count(), 1)
            viaje.shift(dt.timedelta(minutes=10, seconds=1))
            self.assertEqual(self.intento_nuevo().numero, 2)

    def test_quien_ya_aprobo_no_puede_comenzar_otro_intento(self):
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_correctas(intento)
        self.enviar(intento, respuestas)
        self.assertTrue(self.intento(intento.pk).aprobado)
        response = self.iniciar()
        self.assertIn("Ya aprobó esta evaluación.", mensajes(response))
        with self.en_a():
            self.assertEqual(Intento.objects.count(), 1)

    def test_la_nota_de_aprobacion_es_inclusiva(self):
        # Una de cuatro buenas = 25 %: aprueba con nota 25 y no con 26.
        self.evaluacion_cambiar(nota_aprobacion=26)
        intento = self.intento_nuevo()
        with self.en_a():
            unica = str(_por_tipo(intento)[Pregunta.Tipo.UNICA])
            respuestas = {unica: respuestas_correctas(intento)[unica]}
        self.enviar(intento, respuestas)
        self.assertFalse(self.intento(intento.pk).aprobado)
        self.evaluacion_cambiar(nota_aprobacion=25)
        intento = self.intento_nuevo()
        with self.en_a():
            unica = str(_por_tipo(intento)[Pregunta.Tipo.UNICA])
            respuestas = {unica: respuestas_correctas(intento)[unica]}
        self.enviar(intento, respuestas)
        intento = self.intento(intento.pk)
        self.assertEqual(intento.puntaje, Decimal("25.00"))
        self.assertTrue(intento.aprobado)


class PoliticaDeRetroalimentacionTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def _rendir(self, *, aprobar: bool) -> Intento:
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = (
                respuestas_correctas(intento)
                if aprobar
                else respuestas_incorrectas(intento)
            )
        self.enviar(intento, respuestas)
        return intento

    def _revision_visible(self, intento) -> bool:
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertEqual(response.status_code, 200)
        contenido = response.content.decode()
        visible = "Revisión" in contenido
        self.assertEqual("RETRO-GENERAL-" in contenido, visible)
        return visible

    def test_cada_envio_no_revela_las_correctas_si_quedan_intentos(self):
        # Issue 13: las correctas se ven al aprobar o al usar el último intento.
        self.assertFalse(self._revision_visible(self._rendir(aprobar=False)))

    def test_nunca_oculta_la_revision_aunque_se_acaben_los_intentos(self):
        self.evaluacion_cambiar(
            retroalimentacion=Evaluacion.Retroalimentacion.NUNCA, intentos_max=1
        )
        intento = self._rendir(aprobar=False)
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, "0 %")
        self.assertNotContains(response, "Revisión")
        self.assertNotContains(response, "RETRO-")
        self.assertNotContains(response, "correcta</strong>")

        self.evaluacion_cambiar(intentos_max=2)
        intento = self._rendir(aprobar=True)
        self.assertFalse(self._revision_visible(intento))

    def test_ultimo_intento_muestra_la_revision_solo_al_agotar_los_intentos(self):
        self.evaluacion_cambiar(
            retroalimentacion=Evaluacion.Retroalimentacion.ULTIMO_INTENTO,
            intentos_max=2,
        )
        primero = self._rendir(aprobar=False)
        self.assertFalse(self._revision_visible(primero))
        # Con el segundo y último intento abierto, el primero sigue sin revisión:
        # si no, las respuestas correctas se verían antes de enviar el último.
        segundo = self.intento_nuevo()
        self.assertFalse(
            self._revision_visible(primero),
            "la revisión se ve mientras el último intento sigue abierto",
        )
        with self.en_a():
            respuestas = respuestas_incorrectas(segundo)
        self.enviar(segundo, respuestas)
        self.assertTrue(self._revision_visible(primero))
        self.assertTrue(self._revision_visible(segundo))

    def test_ultimo_intento_muestra_la_revision_al_aprobar(self):
        self.evaluacion_cambiar(
            retroalimentacion=Evaluacion.Retroalimentacion.ULTIMO_INTENTO,
            intentos_max=3,
        )
        primero = self._rendir(aprobar=False)
        self.assertFalse(self._revision_visible(primero))
        segundo = self._rendir(aprobar=True)
        self.assertTrue(self._revision_visible(segundo))


class EvaluacionFinalDeCursoTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.lecciones = lecciones_de(self.curso)
            self.evaluacion_cambiar(curso=self.curso)
        self.ingresar(self.client_a, "alice")
        self.recibidas: list[int] = []
        curso_completado.connect(self._receptor)
        self.addCleanup(curso_completado.disconnect, self._receptor)

    def _receptor(self, sender, inscripcion, **kwargs):
        self.recibidas.append(inscripcion.pk)

    def _inscribir(self, *, completar: int) -> Inscripcion:
        with self.en_a():
            inscripcion, _creada = inscripcion_crear(
                usuario=self.alice, curso=self.curso
            )
            for leccion in self.lecciones[:completar]:
                self.assertFalse(
                    leccion_completar(inscripcion=inscripcion, leccion=leccion)
                )
        return inscripcion

    def _aprobar(self) -> Intento:
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_correctas(intento)
        self.enviar(intento, respuestas)
        return intento

    def test_sin_inscripcion_la_evaluacion_final_no_existe_para_la_persona(self):
        self.assertEqual(
            self.client_a.get(f"/evaluaciones/{self.evaluacion.pk}/").status_code, 404
        )
        self.assertEqual(self.iniciar().status_code, 404)

    def test_aprobar_la_final_con_las_lecciones_hechas_completa_el_curso_una_vez(self):
        inscripcion = self._inscribir(completar=len(self.lecciones))
        self.assertEqual(self.recibidas, [])
        intento = self._aprobar()
        with self.en_a():
            inscripcion.refresh_from_db()
        self.assertIsNotNone(inscripcion.completado_at)
        self.assertEqual(self.recibidas, [inscripcion.pk])
        completado_at = inscripcion.completado_at

        # Reenviar y volver a pedir el resultado no completa de nuevo.
        with self.en_a():
            respuestas = respuestas_correctas(intento)
        self.enviar(intento, respuestas)
        self.client_a.get(url_intento(intento, "resultado"))
        with self.en_a():
            inscripcion.refresh_from_db()
        self.assertEqual(inscripcion.completado_at, completado_at)
        self.assertEqual(self.recibidas, [inscripcion.pk])
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, f'href="{self.curso.url}"')

    def test_reprobar_la_final_no_completa_el_curso(self):
        inscripcion = self._inscribir(completar=len(self.lecciones))
        intento = self.intento_nuevo()
        with self.en_a():
            respuestas = respuestas_incorrectas(intento)
        self.enviar(intento, respuestas)
        with self.en_a():
            inscripcion.refresh_from_db()
        self.assertIsNone(inscripcion.completado_at)
        self.assertEqual(self.recibidas, [])

    def test_aprobar_la_final_antes_de_las_lecciones_completa_con_la_ultima(self):
        inscripcion = self._inscribir(completar=len(self.lecciones) - 1)
        self._aprobar()
        with self.en_a():
            inscripcion.refresh_from_db()
        self.assertIsNone(inscripcion.completado_at)
        ultima = self.lecciones[-1]
        response = self.client_a.post(f"/lecciones/{ultima.pk}/completar/")
        self.assertEqual(response.status_code, 302)
        with self.en_a():
            inscripcion.refresh_from_db()
        self.assertIsNotNone(inscripcion.completado_at)
        self.assertEqual(self.recibidas, [inscripcion.pk])
