"""Pruebas de indicadores que faltaban o se probaban con cifras fijas: cada
prueba compara contra el servicio y puede fallar si la regla cambia."""

from __future__ import annotations

import tempfile
from io import BytesIO

import time_machine
from django.db import connection
from django.test import SimpleTestCase, override_settings
from openpyxl import load_workbook

from content.models import RegistroAuditoria
from indicadores.models import Exportacion
from indicadores.selectors import Filtros, indicadores_calcular, totales
from lib import graficos
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import curso_completar, curso_por_clave

from .base import IndicadoresTestCase, fecha

METRICAS = ("capacitados", "capacitaciones", "instituciones", "complejos")


def _libro(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


class DosCursosTests(IndicadoresTestCase):
    def test_persona_con_dos_cursos_completados_cuenta_una_vez(self):
        antes = totales(Filtros(anio=2025, tenant_id=self.tenant_a.pk))
        with self.en_a():
            segundo = curso_por_clave("trabajo-forzoso-indicadores")
            with time_machine.travel(fecha(2025, 8, 20, 12), tick=False):
                inscripcion = curso_completar(self.ana, segundo)
            self.assertIsNotNone(inscripcion.completado_at)
        despues = totales(Filtros(anio=2025, tenant_id=self.tenant_a.pk))
        # Un curso más dictado, la misma persona.
        self.assertEqual(despues["capacitaciones"], antes["capacitaciones"] + 1)
        self.assertEqual(despues["capacitados"], antes["capacitados"])
        por_actividad = indicadores_calcular(
            agrupar_por=["actividad"],
            filtros=Filtros(anio=2025, tenant_id=self.tenant_a.pk),
        )
        # Ana está en tres actividades (dos cursos y J1): el desglose suma más que
        # el total, el total no.
        self.assertGreater(
            sum(f["capacitados"] for f in por_actividad), despues["capacitados"]
        )
        self.assertEqual(totales(Filtros(anio=2025))["capacitados"], 3)


@override_settings(INDICADORES_EXPORTACIONES_DIR=tempfile.mkdtemp())
class LibroPlanContraServicioTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")

    def test_hojas_por_accion_tipadas_y_con_los_totales_del_servicio(self):
        libro = _libro(self.client_publico.post("/indicadores/exportar/plan/"))
        connection.set_schema_to_public()
        servicio = {
            (f["accion"], f["anio"]): tuple(f[m] for m in METRICAS)
            for f in indicadores_calcular(agrupar_por=["accion", "anio"])
        }
        vistos = 0
        # Hojas por acción: entre «Resumen» y «% capacitado» y la «Metodología».
        self.assertEqual(libro.sheetnames[1], "% capacitado")
        for nombre in libro.sheetnames[2:-1]:
            hoja = libro[nombre]
            self.assertEqual(hoja.freeze_panes, "A2")
            filas = list(hoja.iter_rows(values_only=True))
            self.assertEqual(hoja.auto_filter.ref, f"A1:G{len(filas)}")
            self.assertEqual(filas[0][:3], ("Año", "Dimensión", "Categoría"))
            for f in filas[1:]:
                self.assertIsInstance(f[0], int)  # año como número
                self.assertTrue(all(isinstance(v, int) for v in f[3:7]))
                if f[1] == "Total":
                    self.assertEqual(f[3:7], servicio[(nombre, f[0])])
                    vistos += 1
        # Cada (acción, año) con hechos tiene su fila Total en su hoja.
        con_hoja = {k for k in servicio if k[0] in libro.sheetnames}
        self.assertEqual(vistos, len(con_hoja))
        self.assertGreater(vistos, 0)


@override_settings(INDICADORES_EXPORTACIONES_DIR=tempfile.mkdtemp())
class AuditoriaTests(IndicadoresTestCase):
    def test_cada_exportacion_queda_registrada_con_quien_filtros_y_filas(self):
        self.ingresar(self.client_a, "olga")
        for tipo, datos in (
            ("nomina", {}),
            ("unidades", {"anio": 2025}),
            ("certificados", {}),
        ):
            r = self.client_a.post(f"/encargado/indicadores/exportar/{tipo}/", datos)
            self.assertEqual(r.status_code, 200, tipo)
        with self.en_a():
            registros = {
                r.data["tipo"]: r
                for r in RegistroAuditoria.objects.filter(action="capacita.exportacion")
            }
        self.assertEqual(
            set(registros),
            {"nomina", "unidades", "certificados"},
        )
        self.assertEqual(registros["unidades"].data["filtros"]["anio"], 2025)
        for registro in registros.values():
            self.assertEqual(registro.user_id, self.olga.pk)
        connection.set_schema_to_public()
        for exp in Exportacion.objects.all():
            self.assertEqual((exp.usuario_id, exp.schema_name), (self.olga.pk, "alfa"))
            self.assertIsNotNone(exp.terminada_at)
            detalle = registros[exp.tipo].data
            self.assertEqual(detalle["filas"], exp.filas)
        # El libro del Plan se registra en public (sin tenant): quién y filas.
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        self.client_publico.post("/indicadores/exportar/plan/")
        connection.set_schema_to_public()
        plan = Exportacion.objects.get(tipo="plan")
        self.assertEqual((plan.usuario, plan.schema_name), ("mitp", "public"))
        self.assertGreater(plan.filas, 0)


class GraficosTests(SimpleTestCase):
    def test_etiqueta_larga_se_corta_con_puntos_y_queda_en_el_tooltip(self):
        largo = "Brigada Investigadora de Trata de Personas (BITRAP) Metropolitana"
        svg = graficos.barras([(largo, 3)], titulo="t")
        self.assertIn(f"<title>{largo}</title>", svg)
        self.assertIn("…", svg)
        # El margen cabe la etiqueta cortada: el texto no empieza antes del borde.
        margen = graficos._margen([largo])
        self.assertGreaterEqual(margen, int(40 * 6.6))

    def test_sin_datos_dice_sin_datos(self):
        for svg in (
            graficos.barras([], titulo="t"),
            graficos.columnas([], titulo="t"),
            graficos.metas([], titulo="t"),
        ):
            self.assertIn("Sin datos para este periodo.", svg)

    def test_el_texto_se_escapa(self):
        svg = graficos.barras([("<script>", 1)], titulo="<b>")
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)
