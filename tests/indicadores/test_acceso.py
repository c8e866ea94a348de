"""RBAC y aislamiento de cada vista nueva."""

from __future__ import annotations

import tempfile

from django.db import connection
from django.test import Client, override_settings

from indicadores.models import Exportacion
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE

from .base import IndicadoresTestCase


@override_settings(INDICADORES_EXPORTACIONES_DIR=tempfile.mkdtemp())
class AccesoTests(IndicadoresTestCase):
    def _urls_get(self):
        return [
            "/encargado/indicadores/",
            "/encargado/dotacion/",
            "/encargado/nomina/importar/",
            "/encargado/nomina/plantilla.xlsx",
            "/encargado/jornadas/",
            f"/encargado/jornadas/{self.j1.pk}/",
            f"/encargado/jornadas/{self.j1.pk}/qr/",
            "/encargado/jornadas/asistencia/plantilla.xlsx",
        ]

    def test_funcionaria_no_ve_tableros_ni_exporta(self):
        self.ingresar(self.client_a, "alice")
        for url in self._urls_get():
            self.assertEqual(self.client_a.get(url).status_code, 403, url)
        for tipo in ("nomina", "unidades"):
            r = self.client_a.post(f"/encargado/indicadores/exportar/{tipo}/")
            self.assertEqual(r.status_code, 403)
        connection.set_schema_to_public()
        self.assertFalse(Exportacion.objects.exists())

    def test_sesion_de_la_encargada_de_alfa_no_sirve_en_beta(self):
        self.ingresar(self.client_a, "olga")
        self.client_b.cookies = self.client_a.cookies
        for url in self._urls_get():
            r = self.client_b.get(url)
            self.assertEqual(r.status_code, 302, url)
            self.assertIn("/ingresar/", r["Location"])

    def test_encargada_de_beta_no_ve_jornadas_ni_exportaciones_de_alfa(self):
        with self.en_b():
            usuario_asegurar(username="enc_b", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "enc_b")
        self.ingresar(self.client_a, "olga")
        self.client_a.post("/encargado/indicadores/exportar/nomina/")
        connection.set_schema_to_public()
        exp = Exportacion.objects.get()
        with self.en_b():
            from cursos.models import Jornada

            ids_b = set(Jornada.objects.values_list("pk", flat=True))
        if self.j1.pk not in ids_b:
            r = self.client_b.get(f"/encargado/jornadas/{self.j1.pk}/")
            self.assertEqual(r.status_code, 404)
        for sufijo in ("", "descargar/"):
            url = f"/encargado/indicadores/exportaciones/{exp.uuid}/{sufijo}"
            self.assertEqual(self.client_b.get(url).status_code, 404)
            self.assertEqual(self.client_a.get(url).status_code, 200)
        # El tablero de beta solo cuenta a beta.
        r = self.client_b.get("/encargado/indicadores/?anio=2025")
        self.assertContains(r, "Chacalluta")
        self.assertNotContains(r, "U1")

    def test_otra_persona_del_mismo_tenant_no_descarga_mi_exportacion(self):
        self.ingresar(self.client_a, "olga")
        self.client_a.post("/encargado/indicadores/exportar/nomina/")
        connection.set_schema_to_public()
        exp = Exportacion.objects.get()
        otro = Client(HTTP_HOST="alfa.localhost")
        self.ingresar(otro, "alice")
        r = otro.get(f"/encargado/indicadores/exportaciones/{exp.uuid}/descargar/")
        self.assertEqual(r.status_code, 404)

    def test_tablero_mitp_solo_para_la_coordinacion(self):
        r = self.client_publico.get("/indicadores/")
        self.assertEqual(r.status_code, 302)
        connection.set_schema_to_public()
        usuario_asegurar(username="publico", password=CLAVE, rol=Rol.FUNCIONARIO)
        self.ingresar(self.client_publico, "publico")
        self.assertEqual(self.client_publico.get("/indicadores/").status_code, 403)
        r = self.client_publico.post("/indicadores/exportar/plan/")
        self.assertEqual(r.status_code, 403)

    def test_la_encargada_no_exporta_el_libro_del_plan(self):
        self.ingresar(self.client_a, "olga")
        self.assertEqual(
            self.client_a.post("/indicadores/exportar/plan/").status_code, 404
        )

    def test_tablero_de_la_encargada_con_graficos(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get("/encargado/indicadores/?anio=2025")
        self.assertContains(r, "<svg", count=4)
        self.assertContains(r, "13,3 %")
        self.assertNotContains(r, "Chacalluta")
