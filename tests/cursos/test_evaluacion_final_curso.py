"""Issue 13, hallazgo 9: «capacitado» significa aprobado.

Cada curso del currículo termina en una evaluación final calificada, cargada desde su
banco versionado; las horas declaradas son los minutos de las lecciones más el tiempo
de la evaluación; y quien terminó las lecciones ve «Lecciones completas · falta la
evaluación» con un enlace a rendirla, no «En curso · 100 %» ni un «Continuar» que
vuelve a la lección 1.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml
from django.test import SimpleTestCase, override_settings

from certificados.models import Certificado
from cursos.models import CursoPage, Inscripcion
from cursos.services import inscripcion_crear, leccion_completar
from cursos.services.curriculo import DIRECTORIO, CurriculoInvalido, rutas_leer
from evaluaciones.banco import evaluacion_final_cargar, pregunta_opciones
from evaluaciones.models import Evaluacion, Intento, Opcion, Pregunta
from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_por_clave, lecciones_de
from tests.evaluaciones.factories import formulario, respuestas_correctas

RUTAS = rutas_leer()
CURSOS = {c["slug"]: c for r in RUTAS for c in r["cursos"]}


def _minutos(curso: dict) -> int:
    return sum(x["minutos"] for x in curso["lecciones"])


class BancosEnDiscoTests(SimpleTestCase):
    def test_cada_curso_tiene_un_banco_del_doble_de_lo_que_se_sortea(self):
        self.assertEqual(len(CURSOS), 16)
        for slug, curso in CURSOS.items():
            banco = curso["evaluacion"]
            with self.subTest(curso=slug):
                self.assertIsNotNone(banco)
                self.assertGreaterEqual(
                    len(banco["preguntas"]), 2 * banco["preguntas_por_intento"]
                )
                self.assertTrue(banco["tiempo_limite_min"])
                tipos = {p["tipo"] for p in banco["preguntas"]}
                self.assertLessEqual({"unica", "vf", "multiple"}, tipos)

    def test_cada_pregunta_unica_o_vf_tiene_exactamente_una_correcta(self):
        for slug, curso in CURSOS.items():
            for n, datos in enumerate(curso["evaluacion"]["preguntas"], start=1):
                opciones = pregunta_opciones(datos)
                correctas = sum(o["es_correcta"] for o in opciones)
                with self.subTest(curso=slug, pregunta=n):
                    if datos["tipo"] in ("unica", "vf"):
                        self.assertEqual(correctas, 1)
                    else:
                        self.assertGreaterEqual(correctas, 1)

    def test_las_horas_declaradas_son_lecciones_mas_evaluacion(self):
        for slug, curso in CURSOS.items():
            with self.subTest(curso=slug):
                total = _minutos(curso) + curso["evaluacion"]["tiempo_limite_min"]
                self.assertEqual(Decimal(str(curso["horas"])) * 60, total)
        # Protocolo B declaraba 3 h con 46 minutos de lecciones.
        protocolo_b = CURSOS["protocolo-b-ley-21057"]
        self.assertEqual(_minutos(protocolo_b), 46)
        self.assertEqual(Decimal(str(protocolo_b["horas"])), Decimal("1.1"))


class CurriculoInvalidoTests(SimpleTestCase):
    """Una copia del currículo en un directorio temporal, alterada a propósito."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="capacita-curriculo-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        shutil.copy(DIRECTORIO / "mejorninez.yaml", self.dir / "mejorninez.yaml")
        (self.dir / "evaluaciones").mkdir()
        for slug in ("protocolo-b-ley-21057", "no-revictimizar-nna"):
            shutil.copy(
                DIRECTORIO / "evaluaciones" / f"{slug}.yaml",
                self.dir / "evaluaciones" / f"{slug}.yaml",
            )

    def _editar(self, nombre: str, cambio) -> None:
        archivo = self.dir / nombre
        datos = yaml.safe_load(archivo.read_text(encoding="utf-8"))
        cambio(datos)
        archivo.write_text(yaml.safe_dump(datos, allow_unicode=True), encoding="utf-8")

    def test_la_copia_sin_cambios_carga(self):
        self.assertEqual(len(rutas_leer(self.dir)), 1)

    def test_horas_que_no_cuadran_fallan_con_un_mensaje_claro(self):
        def tres_horas(datos):
            datos["cursos"][0]["horas"] = 3

        self._editar("mejorninez.yaml", tres_horas)
        with self.assertRaises(CurriculoInvalido) as error:
            rutas_leer(self.dir)
        mensaje = str(error.exception)
        self.assertIn("protocolo-b-ley-21057", mensaje)
        self.assertIn("declara 3 h (180 min)", mensaje)
        self.assertIn("suman 46 min y la evaluación final 20 min (66 min)", mensaje)

    def test_un_curso_sin_evaluacion_final_no_carga(self):
        (self.dir / "evaluaciones" / "no-revictimizar-nna.yaml").unlink()
        with self.assertRaisesMessage(
            CurriculoInvalido, "«no-revictimizar-nna»: falta su evaluación final"
        ):
            rutas_leer(self.dir)

    def test_un_banco_menor_que_el_doble_de_lo_sorteado_no_carga(self):
        def corto(datos):
            datos["preguntas"] = datos["preguntas"][:9]

        self._editar("evaluaciones/no-revictimizar-nna.yaml", corto)
        with self.assertRaisesMessage(CurriculoInvalido, "tiene 9 preguntas"):
            rutas_leer(self.dir)

    def test_una_pregunta_unica_sin_correcta_no_carga(self):
        def sin_correcta(datos):
            pregunta = datos["preguntas"][0]
            pregunta["incorrectas"] += pregunta.pop("correctas")

        self._editar("evaluaciones/protocolo-b-ley-21057.yaml", sin_correcta)
        with self.assertRaisesMessage(
            CurriculoInvalido, "protocolo-b-ley-21057-01: Marque una opción correcta"
        ):
            rutas_leer(self.dir)


class EvaluacionFinalCargadaTests(CapacitaTestCase):
    def test_cada_curso_del_tenant_tiene_una_final_con_su_banco(self):
        with self.en_a():
            cursos = list(CursoPage.objects.all())
            self.assertEqual(len(cursos), 8)
            for curso in cursos:
                with self.subTest(curso=curso.slug):
                    evaluacion = Evaluacion.objects.get(curso=curso)
                    regla = evaluacion.reglas.get()
                    activas = Pregunta.objects.filter(
                        categoria=regla.categoria, activa=True
                    ).count()
                    self.assertGreaterEqual(activas, 2 * regla.cantidad)
                    self.assertEqual(evaluacion.nota_aprobacion, 70)
                    self.assertEqual(evaluacion.intentos_max, 3)
                    minutos = sum(x.minutos for x in lecciones_de(curso))
                    self.assertEqual(
                        curso.horas * 60, minutos + evaluacion.tiempo_limite_min
                    )

    def test_recargar_el_banco_no_duplica_ni_cambia_las_opciones(self):
        datos = CURSOS["que-es-la-trata"]
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            antes = Evaluacion.objects.get(curso=curso)
            opciones = sorted(
                Opcion.objects.filter(
                    pregunta__categoria=antes.reglas.get().categoria
                ).values_list("pk", flat=True)
            )
            despues = evaluacion_final_cargar(
                curso=curso, datos_curso=datos, banco=datos["evaluacion"]
            )
            self.assertEqual(despues.pk, antes.pk)
            self.assertEqual(Evaluacion.objects.filter(curso=curso).count(), 1)
            self.assertEqual(
                sorted(
                    Opcion.objects.filter(
                        pregunta__categoria=despues.reglas.get().categoria
                    ).values_list("pk", flat=True)
                ),
                opciones,
            )


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
class AprendizConLeccionesCompletasTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.evaluacion = Evaluacion.objects.get(curso=self.curso)
            self.inscripcion, _c = inscripcion_crear(
                usuario=self.alice, curso=self.curso
            )
            for leccion in lecciones_de(self.curso):
                leccion_completar(inscripcion=self.inscripcion, leccion=leccion)
            self.url_curso = self.curso.url
            self.url_leccion_1 = lecciones_de(self.curso)[0].url
        self.url_final = f"/evaluaciones/{self.evaluacion.pk}/"
        self.ingresar(self.client_a, "alice")

    def _tarjeta(self) -> str:
        contenido = self.client_a.get("/mis-cursos/").content.decode()
        return re.search(r'<li class="tarjeta">.*?</li>', contenido, re.S).group(0)

    def test_las_lecciones_solas_no_completan_el_curso(self):
        with self.en_a():
            self.inscripcion.refresh_from_db()
        self.assertIsNone(self.inscripcion.completado_at)

    def test_mis_cursos_dice_que_falta_la_evaluacion_y_enlaza_a_rendirla(self):
        tarjeta = self._tarjeta()
        self.assertIn("Lecciones completas · falta la evaluación", tarjeta)
        self.assertNotIn("En curso", tarjeta)
        self.assertNotIn("100 % completado", tarjeta)
        self.assertIn(f'href="{self.url_final}"', tarjeta)
        self.assertIn("Rendir evaluación final", tarjeta)
        self.assertNotIn(f'href="{self.url_leccion_1}"', tarjeta)

    def test_la_pagina_del_curso_lleva_a_la_evaluacion_y_no_a_la_leccion_1(self):
        respuesta = self.client_a.get(self.url_curso)
        contenido = respuesta.content.decode()
        avance = re.search(r'<section class="panel".*?</section>', contenido, re.S)
        self.assertIn("Lecciones completas · falta la evaluación", avance.group(0))
        self.assertIn(f'href="{self.url_final}"', avance.group(0))
        self.assertNotIn("Continuar donde quedó", avance.group(0))
        self.assertContains(respuesta, "Evaluación final")

    def test_sin_lecciones_hechas_el_curso_muestra_la_final_pero_no_la_enlaza(self):
        with self.en_a():
            inscripcion_crear(usuario=self.olga, curso=self.curso)
        self.ingresar(self.client_a, "olga")
        respuesta = self.client_a.get(self.url_curso)
        self.assertContains(respuesta, "Se habilita al completar las lecciones.")
        self.assertNotContains(respuesta, f'href="{self.url_final}"')
        self.assertContains(respuesta, "Comenzar el curso")

    def test_aprobar_la_final_completa_y_el_certificado_imprime_las_horas(self):
        self.client_a.post(f"{self.url_final}iniciar/")
        with self.en_a():
            intento = Intento.objects.get(
                usuario=self.alice, evaluacion=self.evaluacion
            )
            respuestas = respuestas_correctas(intento)
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client_a.post(
                f"/evaluaciones/intentos/{intento.pk}/enviar/", formulario(respuestas)
            )
        self.assertEqual(respuesta.status_code, 302)
        with self.en_a():
            inscripcion = Inscripcion.objects.get(pk=self.inscripcion.pk)
            self.assertIsNotNone(inscripcion.completado_at)
            certificado = Certificado.objects.get(inscripcion=inscripcion)
            self.assertEqual(certificado.horas, Decimal("1.6"))
            self.assertEqual(certificado.horas, self.curso.horas)
        tarjeta = self._tarjeta()
        self.assertIn("Completado", tarjeta)
        self.assertNotIn("Rendir evaluación final", tarjeta)

    def _aprobar_la_final(self) -> None:
        self.client_a.post(f"{self.url_final}iniciar/")
        with self.en_a():
            intento = Intento.objects.get(
                usuario=self.alice,
                evaluacion=self.evaluacion,
                estado=Intento.Estado.ABIERTO,
            )
            respuestas = respuestas_correctas(intento)
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client_a.post(
                f"/evaluaciones/intentos/{intento.pk}/enviar/", formulario(respuestas)
            )
        self.assertEqual(respuesta.status_code, 302)

    def test_un_ciclo_nuevo_exige_aprobar_otra_vez_con_los_intentos_en_cero(self):
        """Recertificar o actualizar a una versión mayor no vale con las lecciones."""
        from cursos.services.versiones import inscripcion_nuevo_ciclo

        self._aprobar_la_final()
        with self.en_a():
            self.evaluacion.intentos_max = 1
            self.evaluacion.espera_min = 0
            self.evaluacion.save()
            nueva, creada = inscripcion_nuevo_ciclo(
                usuario_id=self.alice.pk, curso=self.curso, inscrito_por_id=None
            )
            self.assertTrue(creada)
            self.assertEqual(nueva.ciclo, 2)
            for leccion in lecciones_de(self.curso):
                leccion_completar(inscripcion=nueva, leccion=leccion)
            nueva.refresh_from_db()
            # La aprobación del ciclo 1 ya no cuenta: las lecciones solas no bastan.
            self.assertIsNone(nueva.completado_at)
        tarjeta = self._tarjeta()
        self.assertIn("Lecciones completas · falta la evaluación", tarjeta)
        # El intento del ciclo 1 no gasta el único intento permitido del ciclo 2.
        self._aprobar_la_final()
        with self.en_a():
            nueva.refresh_from_db()
            self.assertIsNotNone(nueva.completado_at)
            self.assertEqual(
                Intento.objects.filter(
                    usuario=self.alice, evaluacion=self.evaluacion
                ).count(),
                2,
            )
        self.assertIn("Completado", self._tarjeta())
