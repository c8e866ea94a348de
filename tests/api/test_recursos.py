"""Unidades, dotación, inscripciones (por persona y por unidad), avance y
certificados: alcance de la institución, reglas de los servicios y updated_since."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from content.models import RegistroAuditoria
from cursos.models import Dotacion, Inscripcion, Unidad
from cursos.services import inscripcion_crear, leccion_completar
from tests.api.base import RUT_1, RUT_2, RUT_AJENO, ApiTestCase
from tests.cursos.factories import curso_completar, curso_por_clave, lecciones_de

UTC = dt.UTC


class UnidadesDotacionTests(ApiTestCase):
    def test_unidades_solo_de_la_institucion_y_alta_idempotente(self):
        r = self.api("get", "/api/v1/unidades/", secreto=self.secreto_ro)
        nombres = [u["nombre"] for u in r.json()["results"]]
        self.assertEqual(nombres, ["Brigada Norte", "Brigada Sur"])
        r = self.api("post", "/api/v1/unidades/", {"nombre": "Brigada Este"})
        self.assertEqual(r.status_code, 201, r.content)
        r = self.api(
            "post", "/api/v1/unidades/", {"nombre": "Brigada Este", "region": "maule"}
        )
        self.assertEqual(r.status_code, 200)
        with self.en_a():
            unidad = Unidad.objects.get(nombre="Brigada Este")
            self.assertEqual(unidad.institucion_id, self.inst.pk)
            self.assertEqual(unidad.region, "maule")
        r = self.api("post", "/api/v1/unidades/", {"nombre": "X", "region": "marte"})
        self.assertProblema(r, 400, campo="region")

    def test_dotacion_usa_la_regla_del_servicio(self):
        fila = {"unidad_id": self.unidad.pk, "anio": 2026, "total": 10}
        r = self.api(
            "post",
            "/api/v1/dotacion/",
            {"dotaciones": [{**fila, "femenino": 8, "masculino": 5}]},
        )
        datos = self.assertProblema(r, 422)
        self.assertIn("no puede superar la dotación total", datos["detail"])
        r = self.api(
            "post",
            "/api/v1/dotacion/",
            {"dotaciones": [{**fila, "femenino": 6, "masculino": 4}]},
        )
        self.assertEqual(r.status_code, 200, r.content)
        r = self.api("get", "/api/v1/dotacion/", {"anio": 2026})
        self.assertEqual(
            r.json()["results"],
            [
                {
                    "unidad_id": self.unidad.pk,
                    "anio": 2026,
                    "total": 10,
                    "femenino": 6,
                    "masculino": 4,
                }
            ],
        )
        # Unidad de otra institución: rechazada, nada escrito.
        r = self.api(
            "post",
            "/api/v1/dotacion/",
            {"dotaciones": [{**fila, "unidad_id": self.unidad_ajena.pk}]},
        )
        self.assertProblema(r, 422, campo="dotaciones[0].unidad_id")
        with self.en_a():
            self.assertFalse(Dotacion.objects.filter(unidad=self.unidad_ajena).exists())
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.api", data__operacion="api_dotacion_guardar"
                ).exists()
            )


class InscripcionesTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.api(
            "post",
            "/api/v1/personas/",
            {
                "personas": [
                    self.persona(RUT_1, nombres="Ana"),
                    self.persona(RUT_2, nombres="Luis", unidad_id=self.unidad_2.pk),
                ]
            },
        )
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.avanzado = curso_por_clave("deteccion-indicadores")

    def test_por_persona_con_el_servicio_de_inscripcion(self):
        datos = {"curso_id": self.curso.pk, "ruts": [RUT_1, RUT_AJENO, "1-9"]}
        r = self.api("post", "/api/v1/inscripciones/", datos)
        self.assertProblema(r, 400, campo="ruts[2]")
        datos["ruts"] = [RUT_1, RUT_AJENO]
        r = self.api("post", "/api/v1/inscripciones/", datos)
        self.assertEqual(r.status_code, 200, r.content)
        cuerpo = r.json()
        self.assertEqual((cuerpo["creadas"], cuerpo["rechazadas"]), (1, 1))
        self.assertEqual(cuerpo["resultados"][1]["estado"], "rechazada")
        self.assertNotIn(RUT_AJENO, r.content.decode())
        r = self.api("post", "/api/v1/inscripciones/", datos)
        self.assertEqual(r.json()["existentes"], 1)
        # Los prerrequisitos los decide inscripcion_crear.
        r = self.api(
            "post",
            "/api/v1/inscripciones/",
            {"curso_id": self.avanzado.pk, "ruts": [RUT_2]},
        )
        self.assertEqual(r.json()["rechazadas"], 1)
        self.assertIn("debe completar", r.json()["resultados"][0]["motivo"])
        with self.en_a():
            self.assertEqual(Inscripcion.objects.filter(curso=self.curso).count(), 1)

    def test_por_unidad_y_unidad_ajena(self):
        r = self.api(
            "post",
            "/api/v1/inscripciones/unidad/",
            {"curso_id": self.curso.pk, "unidad_id": self.unidad_2.pk},
        )
        self.assertEqual(r.json()["creadas"], 1, r.content)
        r = self.api(
            "post",
            "/api/v1/inscripciones/unidad/",
            {"curso_id": self.curso.pk, "unidad_id": self.unidad_ajena.pk},
        )
        self.assertProblema(r, 422, campo="unidad_id")
        r = self.api(
            "post",
            "/api/v1/inscripciones/unidad/",
            {"curso_id": 999_999, "unidad_id": self.unidad.pk},
        )
        self.assertProblema(r, 422, campo="curso_id")


class AvanceCertificadosTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.api(
            "post",
            "/api/v1/personas/",
            {
                "personas": [
                    self.persona(RUT_1, nombres="Ana"),
                    self.persona(RUT_2, nombres="Luis"),
                ]
            },
        )
        with self.en_a():
            from cursos.models import Perfil

            self.ana = Perfil.objects.get(rut=RUT_1).usuario
            self.luis = Perfil.objects.get(rut=RUT_2).usuario
            self.curso = curso_por_clave("que-es-la-trata")
            with time_machine.travel(dt.datetime(2026, 1, 10, tzinfo=UTC)):
                inscripcion_crear(usuario=self.ana, curso=self.curso)
                self.ins_luis, _c = inscripcion_crear(
                    usuario=self.luis, curso=self.curso
                )
                inscripcion_crear(usuario=self.ajena.usuario, curso=self.curso)

    def test_avance_paginado_de_la_institucion(self):
        r = self.api(
            "get", "/api/v1/avance/", {"page_size": 1}, secreto=self.secreto_ro
        )
        self.assertEqual(r.status_code, 200, r.content)
        cuerpo = r.json()
        self.assertEqual(cuerpo["count"], 2)  # la persona ajena no aparece
        self.assertIsNotNone(cuerpo["next"])
        fila = cuerpo["results"][0]
        self.assertEqual(fila["estado"], "no_iniciado")
        self.assertEqual(fila["rut"], RUT_1)
        self.assertEqual(fila["porcentaje"], 0)

    def test_updated_since_trae_solo_lo_cambiado(self):
        desde = "2026-02-01T00:00:00Z"
        r = self.api("get", "/api/v1/avance/", {"updated_since": desde})
        self.assertEqual(r.json()["count"], 0)
        with self.en_a(), time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC)):
            leccion_completar(
                inscripcion=self.ins_luis, leccion=lecciones_de(self.curso)[0]
            )
        r = self.api("get", "/api/v1/avance/", {"updated_since": desde})
        filas = r.json()["results"]
        self.assertEqual([f["persona_id"] for f in filas], [self.luis.pk])
        self.assertEqual(filas[0]["estado"], "en_curso")
        r = self.api("get", "/api/v1/avance/", {"updated_since": "ayer"})
        self.assertProblema(r, 400, campo="updated_since")

    def test_certificados_de_la_institucion_con_updated_since(self):
        antes = timezone.now() - dt.timedelta(minutes=1)
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            curso_completar(self.ana, self.curso)
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            curso_completar(self.ajena.usuario, self.curso)
        r = self.api("get", "/api/v1/certificados/", secreto=self.secreto_ro)
        filas = r.json()["results"]
        self.assertEqual([f["persona_id"] for f in filas], [self.ana.pk])
        self.assertEqual(filas[0]["estado"], "vigente")
        self.assertRegex(filas[0]["codigo"], r"^\w{4}-\w{4}-")
        r = self.api(
            "get", "/api/v1/certificados/", {"updated_since": antes.isoformat()}
        )
        self.assertEqual(r.json()["count"], 1)
        futuro = (timezone.now() + dt.timedelta(hours=1)).isoformat()
        r = self.api("get", "/api/v1/certificados/", {"updated_since": futuro})
        self.assertEqual(r.json()["count"], 0)
        r = self.api("get", "/api/v1/avance/", {"curso_id": self.curso.pk})
        estados = {f["persona_id"]: f["estado"] for f in r.json()["results"]}
        self.assertEqual(estados[self.ana.pk], "completado")
