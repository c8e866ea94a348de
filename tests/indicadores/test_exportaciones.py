from __future__ import annotations

import tempfile
from datetime import datetime
from io import BytesIO

from django.db import connection
from django.test import override_settings
from openpyxl import load_workbook

from content.models import RegistroAuditoria
from indicadores.models import Exportacion, Hecho
from indicadores.selectors import Filtros, metas_avance, totales
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE

from .base import IndicadoresTestCase

_TMP = tempfile.mkdtemp(prefix="capacita-export-")


def _libro(response):
    contenido = b"".join(response.streaming_content)
    return load_workbook(BytesIO(contenido))


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class ExportacionesTenantTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "olga")

    def test_nomina_con_estado_por_curso(self):
        r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        self.assertEqual(r.status_code, 200)
        libro = _libro(r)
        hoja = libro["Nómina"]
        filas = list(hoja.iter_rows(values_only=True))
        self.assertEqual(filas[0][0], "RUT")
        self.assertEqual(filas[0][9], "Estado")
        self.assertEqual(hoja.freeze_panes, "A2")
        self.assertEqual(hoja.auto_filter.ref, f"A1:L{len(filas)}")
        ana = [f for f in filas if f[2] == "Ana"]
        self.assertEqual(len(ana), 1)
        self.assertEqual(ana[0][9], "Completado")
        self.assertIsInstance(ana[0][10], datetime)  # fecha tipada
        self.assertIsInstance(ana[0][8], int)
        # Bruno no tiene inscripciones: aparece igual en la nómina.
        bruno = [f for f in filas if f[2] == "Bruno"]
        self.assertEqual(bruno[0][9], "Sin inscripciones")
        # Nadie de beta.
        self.assertFalse([f for f in filas if f[2] == "Carla"])
        # Las filas auditadas son las de las tres hojas (personas, nómina, jornadas).
        escritas = sum(h.max_row - 1 for h in libro.worksheets)
        with self.en_a():
            registro = RegistroAuditoria.objects.get(
                action="capacita.exportacion", data__tipo="nomina"
            )
            self.assertEqual(registro.user_id, self.olga.pk)
            self.assertEqual(registro.data["filas"], escritas)
        connection.set_schema_to_public()
        exp = Exportacion.objects.get(tipo="nomina")
        self.assertEqual((exp.schema_name, exp.filas), ("alfa", escritas))

    def test_porcentaje_por_unidad_y_total_igual_al_servicio(self):
        r = self.client_a.post(
            "/encargado/indicadores/exportar/unidades/", {"anio": 2025}
        )
        filas = list(_libro(r)["% por unidad"].iter_rows(values_only=True))
        self.assertEqual(filas[0][-1], "% capacitado")
        por_unidad = {f[1]: f for f in filas[1:-2]}
        self.assertEqual(por_unidad["U1"][3], 10)
        self.assertEqual(por_unidad["U1"][9], 10.0)
        # Todos los capacitados de alfa están en unidades con dotación.
        self.assertEqual(filas[-1][0], "Sin dotación informada (fuera del %)")
        self.assertEqual(filas[-1][6], 0)
        total = filas[-2]
        servicio = totales(Filtros(anio=2025, tenant_id=self.tenant_a.pk))
        self.assertEqual(total[6], servicio["capacitados"])
        self.assertEqual(total[3], 15)
        self.assertEqual(total[9], round(100 * servicio["capacitados"] / 15, 1))

    @override_settings(INDICADORES_UMBRAL_TAREA=1)
    def test_exportacion_grande_va_a_una_tarea_con_avance_y_descarga(self):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        self.assertEqual(r.status_code, 302)
        estado = self.client_a.get(r["Location"])
        self.assertContains(estado, "Lista")
        self.assertContains(estado, 'value="100"')
        connection.set_schema_to_public()
        exp = Exportacion.objects.get(tipo="nomina")
        self.assertTrue(exp.en_tarea)
        descarga = self.client_a.get(
            f"/encargado/indicadores/exportaciones/{exp.uuid}/descargar/"
        )
        self.assertEqual(descarga.status_code, 200)
        self.assertIn("Nómina", _libro(descarga).sheetnames)

    @override_settings(INDICADORES_UMBRAL_TAREA=1)
    def test_el_estado_en_json_es_solo_de_quien_la_pidio_y_en_su_sitio(self):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        url = r["Location"] + "estado/"
        datos = self.client_a.get(url).json()
        self.assertEqual(
            {k: datos[k] for k in ("estado", "estado_etiqueta", "porcentaje")},
            {"estado": "listo", "estado_etiqueta": "Lista", "porcentaje": 100},
        )
        self.assertTrue(datos["terminado"])
        self.assertTrue(datos["descarga"].endswith("/descargar/"))
        self.assertEqual(self.client_a.get(datos["descarga"]).status_code, 200)
        # Otra encargada del mismo tenant, una funcionaria y alguien de beta: 404.
        with self.en_a():
            usuario_asegurar(username="otra", password=CLAVE, rol=Rol.ENCARGADO)
        for cliente, usuario in (
            (self.client_a, "otra"),
            (self.client_a, "alice"),
            (self.client_b, "bob"),
        ):
            with self.subTest(usuario=usuario):
                cliente.logout()
                self.ingresar(cliente, usuario)
                self.assertEqual(cliente.get(url).status_code, 404)
        self.client_a.logout()
        self.assertEqual(self.client_a.get(url).status_code, 302)


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class LibroPlanTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")

    def test_libro_del_plan(self):
        r = self.client_publico.post("/indicadores/exportar/plan/")
        self.assertEqual(r.status_code, 200)
        libro = _libro(r)
        self.assertEqual(libro.sheetnames[0], "Resumen")
        self.assertEqual(libro.sheetnames[-1], "Metodología")
        self.assertIn("E1-A2.3", libro.sheetnames)
        # Resumen, % capacitado, una hoja por acción (19) y Metodología.
        self.assertEqual(len(libro.sheetnames), 19 + 3)
        resumen = list(libro["Resumen"].iter_rows(values_only=True))
        self.assertEqual(resumen[0][:3], ("Acción", "Eje", "Indicador de resultado"))
        connection.set_schema_to_public()
        esperados = {
            (a.accion.codigo, a.meta.anio, a.meta.get_unidad_display()): a.logrado
            for a in metas_avance()
        }
        obtenidos = {(f[0], f[3], f[4]): f[6] for f in resumen[1:]}
        self.assertEqual(obtenidos, esperados)
        self.assertEqual(obtenidos[("E1-A2.3", 2025, "complejos fronterizos")], 1)
        hoja = list(libro["E3-A1.2"].iter_rows(values_only=True))
        total_2025 = [f for f in hoja if f[0] == 2025 and f[1] == "Total"][0]
        self.assertEqual(total_2025[3:], (2, 1, 1, 0))
        dims = {f[1] for f in hoja[1:]}
        self.assertEqual(
            dims,
            {"Total", "Tenant", "Institución", "Sector", "Región", "Sexo", "Modalidad"},
        )
        # Agregados solamente: ningún nombre de persona en el libro.
        texto = " ".join(
            str(c)
            for h in libro.worksheets
            for f in h.iter_rows(values_only=True)
            for c in f
        )
        for nombre in ("Ana", "Bruno", "Carla", "Prueba"):
            self.assertNotIn(nombre, texto)
        metodo = dict(libro["Metodología"].iter_rows(values_only=True))
        self.assertIn("Regla de deduplicación", metodo)
        self.assertTrue(Exportacion.objects.filter(tipo="plan", filas__gt=0).exists())

    def test_libro_del_plan_con_mas_hechos_que_el_umbral_va_a_una_tarea(self):
        # El libro tiene pocas filas, pero cuenta todos los hechos: con más hechos
        # que el umbral no se arma dentro de la petición.
        connection.set_schema_to_public()
        hechos = Hecho.objects.count()
        with override_settings(INDICADORES_UMBRAL_TAREA=hechos - 1):
            with self.captureOnCommitCallbacks(execute=True):
                r = self.client_publico.post("/indicadores/exportar/plan/")
        self.assertEqual(r.status_code, 302)
        connection.set_schema_to_public()
        exp = Exportacion.objects.get(tipo="plan")
        self.assertTrue(exp.en_tarea)
        self.assertEqual(exp.total, hechos)
        descarga = self.client_publico.get(r["Location"])
        self.assertContains(descarga, "Descargar (")

    def test_tablero_mitp_muestra_metas_y_tenants(self):
        r = self.client_publico.get("/indicadores/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<svg", count=19)
        self.assertContains(r, "E1-A2.3")
        self.assertContains(r, "Tenant beta")
        self.assertNotContains(r, "Bruno")


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class CertificadosExportTests(IndicadoresTestCase):
    def test_lista_de_certificados_del_tenant(self):
        from certificados.services import certificado_emitir

        with self.en_a():
            certificado, _creado = certificado_emitir(
                inscripcion_id=self.inscripcion.pk
            )
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post("/encargado/indicadores/exportar/certificados/")
        self.assertEqual(r.status_code, 200)
        filas = list(_libro(r)["Certificados"].iter_rows(values_only=True))
        self.assertEqual(filas[0][:2], ("Código", "Titular"))
        self.assertEqual(len(filas), 2)
        self.assertEqual(filas[1][0], certificado.codigo)
        self.assertEqual(filas[1][2], "U1")
        self.assertIsInstance(filas[1][5], (int, float))  # número, no texto
        self.assertIsInstance(filas[1][6], datetime)
        with self.en_a():
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.exportacion", data__tipo="certificados"
                ).exists()
            )
