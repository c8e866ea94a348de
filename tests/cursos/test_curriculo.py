from __future__ import annotations

import copy
import json
from unittest import mock

from django.db import connection
from django.test import Client, SimpleTestCase
from django_tenants.utils import tenant_context
from wagtail.models import Page

from cursos.models import CursoPage, LeccionPage, RutaPage
from cursos.services.curriculo import DIRECTORIO, TODAS, curriculo_cargar, rutas_leer
from tenants.models import Tenant
from tenants.services import tenant_crear
from tests.base import CapacitaTestCase

RUTAS = {r["slug"]: r for r in rutas_leer()}
COMUNES = {slug for slug, r in RUTAS.items() if TODAS in r["audiencias"]}


def _cursos_yaml(*rutas: str) -> dict[str, dict]:
    return {c["slug"]: c for slug in rutas for c in RUTAS[slug]["cursos"]}


class CurriculoArchivosTests(SimpleTestCase):
    """Las semillas mismas: se revisan todas, aunque ningún tenant de prueba las use."""

    def test_las_rutas_comunes_son_nucleo_y_fiscalizacion(self):
        self.assertEqual(COMUNES, {"nucleo", "fiscalizacion"})
        self.assertEqual(RUTAS["policias"]["audiencias"], ["policias"])
        self.assertEqual(RUTAS["turismo"]["audiencias"], ["turismo"])

    def test_cada_curso_tiene_al_menos_tres_lecciones(self):
        for ruta in RUTAS.values():
            for curso in ruta["cursos"]:
                with self.subTest(curso=curso["slug"]):
                    self.assertGreaterEqual(len(curso["lecciones"]), 3)

    def test_los_prerrequisitos_existen_en_la_ruta_o_en_las_comunes(self):
        for slug, ruta in RUTAS.items():
            disponibles = set(_cursos_yaml(slug, *COMUNES))
            for curso in ruta["cursos"]:
                with self.subTest(curso=curso["slug"]):
                    self.assertLessEqual(set(curso["prerrequisitos"]), disponibles)
                    self.assertNotIn(curso["slug"], curso["prerrequisitos"])

    def test_los_slugs_de_curso_no_se_repiten_entre_rutas(self):
        slugs = [c["slug"] for r in RUTAS.values() for c in r["cursos"]]
        self.assertEqual(len(slugs), len(set(slugs)))

    def test_ningun_archivo_tiene_texto_de_relleno(self):
        for archivo in sorted(DIRECTORIO.glob("*.yaml")):
            with self.subTest(archivo=archivo.name):
                self.assertNotIn("lorem", archivo.read_text(encoding="utf-8").lower())


class CurriculoTenantNuevoTests(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.zeta = tenant_crear(
            schema_name="zeta",
            nombre="Turismo de prueba",
            grupo=Tenant.Grupo.TURISMO,
            dominio="zeta.localhost",
        )
        connection.set_schema_to_public()

    def en_zeta(self):
        return tenant_context(self.zeta)

    def test_tiene_las_rutas_comunes_y_la_de_turismo_pero_no_la_de_policias(self):
        with self.en_zeta():
            rutas = set(
                RutaPage.objects.live().values_list("clave_curriculo", flat=True)
            )
            cursos = set(CursoPage.objects.live().values_list("slug", flat=True))
        self.assertEqual(rutas, COMUNES | {"turismo"})
        self.assertEqual(cursos, set(_cursos_yaml(*COMUNES, "turismo")))
        self.assertNotIn("investigacion-criminal-trata", cursos)

    def test_el_sitio_del_tenant_sirve_su_ruta_y_no_la_de_policias(self):
        with self.en_zeta():
            url = CursoPage.objects.get(clave_curriculo="esnna-viajes-turismo").url
        with self.en_a():
            url_policias = CursoPage.objects.get(
                clave_curriculo="investigacion-criminal-trata"
            ).url
        cliente = Client(HTTP_HOST="zeta.localhost")
        self.assertContains(cliente.get(url), "Turismo de prueba")
        self.assertEqual(cliente.get(url_policias).status_code, 404)

    def test_cada_curso_tiene_al_menos_tres_lecciones_en_orden(self):
        esperados = _cursos_yaml(*COMUNES, "turismo")
        with self.en_zeta():
            for curso in CursoPage.objects.all():
                lecciones = list(
                    LeccionPage.objects.live().child_of(curso).order_by("path")
                )
                with self.subTest(curso=curso.slug):
                    self.assertGreaterEqual(len(lecciones), 3)
                    self.assertEqual(
                        [x.slug for x in lecciones],
                        [x["slug"] for x in esperados[curso.slug]["lecciones"]],
                    )
                    self.assertTrue(all(len(x.cuerpo) > 0 for x in lecciones))

    def test_enlaza_los_prerrequisitos_del_yaml(self):
        esperados = _cursos_yaml(*COMUNES, "turismo")
        with self.en_zeta():
            for curso in CursoPage.objects.prefetch_related("prerrequisitos"):
                with self.subTest(curso=curso.slug):
                    self.assertEqual(
                        {c.slug for c in curso.prerrequisitos.all()},
                        set(esperados[curso.slug]["prerrequisitos"]),
                    )
            self.assertEqual(
                [
                    c.slug
                    for c in CursoPage.objects.get(
                        slug="prestador-turistico-actua"
                    ).prerrequisitos.all()
                ],
                ["esnna-viajes-turismo"],
            )

    def test_los_prerrequisitos_entre_rutas_quedan_enlazados_en_alfa(self):
        # La ruta de policías, cargada después de clonar, apunta a cursos del núcleo.
        esperados = _cursos_yaml(*COMUNES, "policias")
        with self.en_a():
            for curso in CursoPage.objects.prefetch_related("prerrequisitos"):
                with self.subTest(curso=curso.slug):
                    self.assertEqual(
                        {c.slug for c in curso.prerrequisitos.all()},
                        set(esperados[curso.slug]["prerrequisitos"]),
                    )

    def test_ninguna_leccion_tiene_texto_de_relleno(self):
        with self.en_zeta():
            lecciones = list(LeccionPage.objects.all())
        self.assertGreater(len(lecciones), 0)
        for leccion in lecciones:
            with self.subTest(leccion=leccion.slug):
                cuerpo = json.dumps(list(leccion.cuerpo.raw_data), ensure_ascii=False)
                self.assertNotIn("lorem", cuerpo.lower())
                self.assertNotIn("lorem", leccion.title.lower())

    def test_cargar_de_nuevo_no_cambia_nada(self):
        with self.en_zeta():
            antes = Page.objects.count()
            revisiones_antes = sum(p.revisions.count() for p in CursoPage.objects.all())
            self.assertEqual(curriculo_cargar(grupo=Tenant.Grupo.TURISMO), [])
            self.assertEqual(curriculo_cargar(grupo=None), [])
            self.assertEqual(Page.objects.count(), antes)
            self.assertEqual(
                sum(p.revisions.count() for p in CursoPage.objects.all()),
                revisiones_antes,
            )

    def test_nueva_version_actualiza_sin_duplicar_paginas(self):
        rutas = copy.deepcopy(rutas_leer())
        for ruta in rutas:
            if ruta["slug"] == "turismo":
                ruta["version"] += 1
                ruta["cursos"][0]["titulo"] = "Título revisado"
        with self.en_zeta():
            antes = Page.objects.count()
            with mock.patch("cursos.services.curriculo.rutas_leer", return_value=rutas):
                cargadas = curriculo_cargar(grupo=Tenant.Grupo.TURISMO)
            self.assertEqual(cargadas, ["turismo"])
            self.assertEqual(Page.objects.count(), antes)
            curso = CursoPage.objects.get(clave_curriculo="esnna-viajes-turismo")
            self.assertEqual(curso.title, "Título revisado")
            self.assertTrue(curso.live)
            self.assertEqual(
                RutaPage.objects.get(clave_curriculo="turismo").version_curriculo,
                RUTAS["turismo"]["version"] + 1,
            )
