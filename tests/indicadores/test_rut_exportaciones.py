"""El RUT sale solo en la nómina de la encargada (para reimportarla) y queda auditado;
las exportaciones de la MITP no llevan RUT, nombres ni claves de persona."""

from __future__ import annotations

import tempfile
from io import BytesIO

from django.db import connection
from django.test import override_settings
from openpyxl import load_workbook

from content.models import RegistroAuditoria
from indicadores.hechos import persona_clave
from indicadores.models import Exportacion, Hecho
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE

from .base import R1, R2, R3, IndicadoresTestCase


def _celdas(response) -> list[str]:
    """Cada celda de cada hoja, como texto."""
    libro = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [
        str(valor)
        for hoja in libro.worksheets
        for fila in hoja.iter_rows(values_only=True)
        for valor in fila
        if valor is not None
    ]


def _formas_del_rut(rut: str) -> list[str]:
    cuerpo, dv = rut.split("-")
    con_puntos = f"{int(cuerpo):,}".replace(",", ".")
    return [rut, cuerpo, f"{con_puntos}-{dv}", cuerpo + dv]


@override_settings(INDICADORES_EXPORTACIONES_DIR=tempfile.mkdtemp())
class RutEnExportacionesTests(IndicadoresTestCase):
    def test_la_nomina_con_rut_es_solo_de_la_encargada_y_queda_auditada(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        self.assertEqual(r.status_code, 200)
        celdas = _celdas(r)
        # La nómina lleva el RUT de su gente (para reimportarla)…
        self.assertIn(R1, celdas)
        self.assertIn(R2, celdas)
        # …y nunca el de alguien que solo está en otro tenant.
        self.assertNotIn(R3, celdas)
        with self.en_a():
            registro = RegistroAuditoria.objects.get(
                action="capacita.exportacion", data__tipo="nomina"
            )
            self.assertEqual(registro.user_id, self.olga.pk)
        connection.set_schema_to_public()
        self.assertEqual(
            Exportacion.objects.get(tipo="nomina").usuario_id, self.olga.pk
        )

    def test_funcionaria_y_editora_no_exportan_nada_del_tenant(self):
        for usuario in ("alice", "edu"):
            self.ingresar(self.client_a, usuario)
            for tipo in ("nomina", "unidades", "certificados"):
                r = self.client_a.post(f"/encargado/indicadores/exportar/{tipo}/")
                self.assertEqual(r.status_code, 403, (usuario, tipo))
        connection.set_schema_to_public()
        self.assertFalse(Exportacion.objects.exists())
        with self.en_a():
            self.assertFalse(
                RegistroAuditoria.objects.filter(action="capacita.exportacion").exists()
            )

    def test_encargada_de_otro_tenant_no_obtiene_la_nomina_de_alfa(self):
        self.ingresar(self.client_a, "olga")
        self.client_a.post("/encargado/indicadores/exportar/nomina/")
        connection.set_schema_to_public()
        exportacion_alfa = Exportacion.objects.get()
        with self.en_b():
            usuario_asegurar(username="enc_b", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "enc_b")
        for sufijo in ("", "descargar/"):
            url = f"/encargado/indicadores/exportaciones/{exportacion_alfa.uuid}/"
            self.assertEqual(self.client_b.get(url + sufijo).status_code, 404)
        # Su propia nómina es la de beta: sin el RUT de Bruno (solo en alfa).
        celdas = _celdas(self.client_b.post("/encargado/indicadores/exportar/nomina/"))
        self.assertIn(R3, celdas)
        self.assertNotIn(R2, celdas)
        # La sesión de alfa no abre nada en beta.
        self.client_b.cookies = self.client_a.cookies
        r = self.client_b.post("/encargado/indicadores/exportar/nomina/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/ingresar/", r["Location"])


@override_settings(INDICADORES_EXPORTACIONES_DIR=tempfile.mkdtemp())
class ExportacionesMitpSinPersonasTests(IndicadoresTestCase):
    def test_libro_del_plan_sin_rut_nombres_ni_claves_en_ninguna_celda(self):
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        claves = set(Hecho.objects.values_list("persona", flat=True))
        self.assertIn(persona_clave(rut=R1, schema_name="", usuario_id=0), claves)
        self.ingresar(self.client_publico, "mitp")
        r = self.client_publico.post("/indicadores/exportar/plan/")
        self.assertEqual(r.status_code, 200)
        celdas = _celdas(r)
        self.assertGreater(len(celdas), 100)
        prohibidos = [f for rut in (R1, R2, R3) for f in _formas_del_rut(rut)]
        prohibidos += ["Ana", "Bruno", "Carla", "Prueba", "Olga", "alice", "olga"]
        prohibidos += list(claves)
        for celda in celdas:
            for texto in prohibidos:
                self.assertNotIn(texto, celda)
        # Tampoco el tablero MITP.
        pagina = self.client_publico.get("/indicadores/").content.decode()
        for texto in [*(f for rut in (R1, R2, R3) for f in _formas_del_rut(rut))]:
            self.assertNotIn(texto, pagina)
        for texto in ("Ana ", "Bruno", "Carla", "Prueba"):
            self.assertNotIn(texto, pagina)
