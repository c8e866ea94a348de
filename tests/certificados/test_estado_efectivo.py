"""Un solo estado efectivo para certificados e inscripciones.

La regla vive en verificacion/estados.py (certificado_estado) y
cursos.selectors.inscripcion_estado; aquí se prueba la tabla de casos, que el SQL de
certificados.selectors dice lo mismo, y que cada página y exportación muestra lo mismo.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from django.test import SimpleTestCase, override_settings
from openpyxl import load_workbook

from certificados.models import Certificado
from certificados.selectors import estado_efectivo_anotar, vigentes_hoy
from cursos.choices import EstadoCurso
from cursos.models import CursoPage, Inscripcion
from cursos.selectors import inscripcion_estado
from tests.certificados.base import CertificadosTestCase
from tests.cursos.factories import leccion_agregar
from verificacion.estados import certificado_estado, vencimiento_calcular
from verificacion.models import EstadoCertificado, RegistroCertificado

SCL = ZoneInfo("America/Santiago")
HOY = dt.date(2027, 5, 10)
INICIO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
_TMP = tempfile.mkdtemp(prefix="capacita-estado-")

V, X, R, E, A = (
    EstadoCertificado.VIGENTE,
    EstadoCertificado.VENCIDO,
    EstadoCertificado.REVOCADO,
    EstadoCertificado.REEMPLAZADO,
    EstadoCertificado.VERSION_ANTERIOR,
)

# (estado guardado, vence, esperado hoy = HOY)
CASOS_CERTIFICADO = [
    (V, None, V),  # vigencia_meses = 0: no vence nunca
    (V, dt.datetime(2027, 5, 11, 0, 30, tzinfo=SCL), V),  # mañana
    # «Válido hasta el 10 de mayo» (PDF, correo, verificación): vale todo ese día.
    (V, dt.datetime(2027, 5, 10, 23, 0, tzinfo=SCL), V),  # hoy, más tarde
    (V, dt.datetime(2027, 5, 10, 0, 0, tzinfo=SCL), V),  # hoy a medianoche
    (V, dt.datetime(2027, 5, 9, 23, 59, tzinfo=SCL), X),  # ayer
    (V, dt.datetime(2026, 1, 1, 12, 0, tzinfo=SCL), X),  # la tarea aún no corrió
    (X, dt.datetime(2026, 1, 1, 12, 0, tzinfo=SCL), X),
    (X, dt.datetime(2030, 1, 1, 12, 0, tzinfo=SCL), X),  # vencido a mano: se queda
    (R, None, R),
    (R, dt.datetime(2030, 1, 1, 12, 0, tzinfo=SCL), R),
    (R, dt.datetime(2026, 1, 1, 12, 0, tzinfo=SCL), R),  # revocado manda sobre fecha
    (E, dt.datetime(2030, 1, 1, 12, 0, tzinfo=SCL), E),
    (E, dt.datetime(2026, 1, 1, 12, 0, tzinfo=SCL), E),
    # Versión anterior (issue 16): una versión mayor posterior manda sobre la fecha.
    (A, dt.datetime(2030, 1, 1, 12, 0, tzinfo=SCL), A),
    (A, dt.datetime(2026, 1, 1, 12, 0, tzinfo=SCL), A),
    (A, None, A),
]


class ReglaTests(SimpleTestCase):
    def test_tabla_de_casos_del_certificado(self):
        for estado, vence, esperado in CASOS_CERTIFICADO:
            with self.subTest(estado=estado, vence=vence):
                self.assertEqual(
                    certificado_estado(estado=estado, vence=vence, hoy=HOY), esperado
                )

    def test_el_registro_publico_con_fecha_sigue_la_misma_regla(self):
        # La verificación guarda fecha, no instante: vale hasta ese día inclusive.
        self.assertEqual(
            certificado_estado(estado=V, vence=HOY, hoy=HOY), EstadoCertificado.VIGENTE
        )
        self.assertEqual(
            certificado_estado(estado=V, vence=HOY - dt.timedelta(days=1), hoy=HOY),
            EstadoCertificado.VENCIDO,
        )

    def test_vigencia_cero_no_vence(self):
        desde = dt.datetime(2020, 1, 1, tzinfo=SCL)
        self.assertIsNone(vencimiento_calcular(desde=desde, vigencia_meses=0))
        self.assertIsNone(vencimiento_calcular(desde=desde, vigencia_meses=None))
        self.assertEqual(
            vencimiento_calcular(desde=desde, vigencia_meses=24),
            dt.datetime(2022, 1, 1, tzinfo=SCL),
        )

    def test_tabla_de_casos_de_la_inscripcion(self):
        hace_3_anios = dt.datetime(2024, 5, 1, 12, tzinfo=SCL)
        hace_un_mes = dt.datetime(2027, 4, 10, 12, tzinfo=SCL)
        casos = [
            # (completado, vigencia, con avance, certificado, esperado)
            (None, 24, False, None, EstadoCurso.NO_INICIADO),
            (None, 24, True, None, EstadoCurso.EN_CURSO),
            (hace_un_mes, 24, True, None, EstadoCurso.COMPLETADO),
            (hace_3_anios, 24, True, None, EstadoCurso.VENCIDO),
            # vigencia 0 = no vence (antes: «Vencido» desde el primer día).
            (hace_un_mes, 0, True, None, EstadoCurso.COMPLETADO),
            (hace_3_anios, 0, True, None, EstadoCurso.COMPLETADO),
            # Con certificado manda el certificado.
            (hace_un_mes, 24, True, (R, None), EstadoCurso.REVOCADO),
            (hace_3_anios, 24, True, (V, None), EstadoCurso.COMPLETADO),
            (hace_un_mes, 24, True, (X, hace_un_mes), EstadoCurso.VENCIDO),
            (hace_3_anios, 24, True, (E, hace_3_anios), EstadoCurso.COMPLETADO),
            (hace_un_mes, 24, True, (A, None), EstadoCurso.VERSION_ANTERIOR),
        ]
        for completado, vigencia, avance, certificado, esperado in casos:
            estado, vence = certificado or (None, None)
            with self.subTest(completado=completado, vigencia=vigencia, cert=estado):
                self.assertEqual(
                    inscripcion_estado(
                        completado_at=completado,
                        vigencia_meses=vigencia,
                        con_avance=avance,
                        certificado_estado_guardado=estado,
                        certificado_vence=vence,
                        hoy=HOY,
                    ),
                    esperado,
                )


class SqlIgualALaFuncionTests(CertificadosTestCase):
    def test_la_anotacion_sql_dice_lo_mismo_que_la_funcion_caso_por_caso(self):
        with self.en_a():
            curso = self.curso
            esperados = {}
            for ciclo, (estado, vence, esperado) in enumerate(CASOS_CERTIFICADO, 1):
                # Una tabla de estados para comparar dos cálculos, ciclo por
                # ciclo: no es algo que una persona cree en una pantalla.
                inscripcion = Inscripcion.objects.create(
                    usuario=self.alice, curso=curso, ciclo=ciclo
                )
                certificado = Certificado.objects.create(
                    inscripcion=inscripcion,
                    usuario=self.alice,
                    curso=curso,
                    ciclo=ciclo,
                    codigo=f"PRUEBA{ciclo:04d}",
                    titular_nombre="Alice Alfa",
                    curso_titulo=curso.title,
                    horas=1,
                    emitido_at=INICIO,
                    vence_at=vence,
                    estado=estado,
                )
                esperados[certificado.pk] = esperado
            momento = dt.datetime.combine(HOY, dt.time(12), tzinfo=SCL)
            with time_machine.travel(momento, tick=False):
                anotados = dict(
                    estado_efectivo_anotar(Certificado.objects.all()).values_list(
                        "pk", "estado_hoy"
                    )
                )
                propiedad = {c.pk: c.estado_efectivo for c in Certificado.objects.all()}
        self.assertEqual(anotados, esperados)
        self.assertEqual(propiedad, esperados)


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class PaginasYExportacionesTests(CertificadosTestCase):
    """Cada pantalla y planilla muestra el mismo estado para el mismo certificado."""

    def _exportar_certificados(self) -> dict[str, str]:
        r = self.client_a.post("/encargado/indicadores/exportar/certificados/")
        libro = load_workbook(BytesIO(b"".join(r.streaming_content)))
        filas = list(libro["Certificados"].iter_rows(values_only=True))
        return {f[1]: f[8] for f in filas[1:]}

    def test_un_vencido_dice_vencido_en_la_lista_la_exportacion_y_la_verificacion(
        self,
    ):
        with time_machine.travel(INICIO, tick=False):
            certificado = self.certificado_de_alice()
        # Vigencia 24 meses: vence el 2028-03-02; la tarea diaria todavía no corrió.
        with time_machine.travel(dt.datetime(2028, 3, 5, 12, tzinfo=dt.UTC)):
            self.ingresar(self.client_a, "olga")
            lista = self.client_a.get("/certificados/encargado/")
            self.assertContains(lista, "Vencido")
            # Antes: la exportación copiaba el estado guardado e imprimía «Válido».
            self.assertEqual(self._exportar_certificados(), {"Alice Alfa": "Vencido"})
            self.assertContains(
                self.client_publico.get(f"/verificar/{certificado.codigo}"), "Vencido"
            )
            filtrada = self.client_a.get(
                "/certificados/encargado/", {"estado": "vigente"}
            )
            self.assertNotContains(filtrada, certificado.codigo_formateado)
            filtrada = self.client_a.get(
                "/certificados/encargado/", {"estado": "vencido"}
            )
            self.assertContains(filtrada, certificado.codigo_formateado)
            self.ingresar(self.client_a, "alice")
            self.assertContains(self.client_a.get("/mis-cursos/"), "Vencido")

    def test_vigencia_cero_no_vence_en_ninguna_pantalla(self):
        with self.en_a():
            ruta = self.curso.get_parent()
            permanente = ruta.add_child(
                instance=CursoPage(
                    title="Curso sin vencimiento",
                    slug="curso-sin-vencimiento",
                    vigencia_meses=0,
                )
            )
            permanente.save_revision().publish()
            leccion_agregar(permanente)
            with time_machine.travel(INICIO, tick=False):
                self.completar(self.alice, permanente)
            certificado = Certificado.objects.get(curso=permanente)
        self.assertIsNone(certificado.vence_at)
        registro = RegistroCertificado.objects.get(codigo=certificado.codigo)
        self.assertIsNone(registro.vence_el)
        with time_machine.travel(dt.datetime(2031, 1, 1, 12, tzinfo=dt.UTC)):
            self.ingresar(self.client_a, "alice")
            # Antes: «Vencido» en Mis cursos (vigencia 0 = vencido desde el día uno).
            mis_cursos = self.client_a.get("/mis-cursos/")
            self.assertContains(mis_cursos, "Completado")
            self.assertNotContains(mis_cursos, "Vencido")
            self.assertContains(self.client_a.get("/certificados/"), "Válido")
            verificacion = self.client_publico.get(f"/verificar/{certificado.codigo}")
            self.assertContains(verificacion, "Válido")
            self.assertContains(verificacion, "sin vencimiento")
            self.ingresar(self.client_a, "olga")
            r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
            libro = load_workbook(BytesIO(b"".join(r.streaming_content)))
            filas = list(libro["Nómina"].iter_rows(values_only=True))
            fila = next(f for f in filas if f[7] == "Curso sin vencimiento")
            self.assertEqual(fila[9], "Completado")
            self.assertEqual(self._exportar_certificados(), {"Alice Alfa": "Válido"})
            with self.en_a():
                self.assertEqual(vigentes_hoy()["total"], 1)


class VigenteHoyTests(CertificadosTestCase):
    def test_vencer_no_borra_la_capacitacion_pero_deja_de_estar_vigente_hoy(self):
        from indicadores.selectors import Filtros, totales

        with time_machine.travel(INICIO, tick=False):
            self.certificado_de_alice()
        with self.en_a():
            self.assertEqual(vigentes_hoy()["total"], 1)
        self.ingresar(self.client_a, "olga")
        tablero = self.client_a.get("/encargado/indicadores/", {"anio": 2026})
        self.assertEqual(tablero.context["vigentes_hoy"], 1)
        self.assertContains(tablero, "personas con certificado vigente hoy")
        with time_machine.travel(dt.datetime(2028, 6, 1, 12, tzinfo=dt.UTC)):
            with self.en_a():
                self.assertEqual(vigentes_hoy()["total"], 0)
                self.assertEqual(vigentes_hoy()["por_unidad"], {})
            self.ingresar(self.client_a, "olga")  # la sesión anterior ya expiró
            tablero = self.client_a.get("/encargado/indicadores/", {"anio": 2026})
            self.assertEqual(tablero.context["vigentes_hoy"], 0)
            # La capacitación de 2026 sigue contando: el vencimiento no retira hechos.
            # Alice no tiene dotación informada: cuenta en su propia línea, fuera del %.
            total = tablero.context["total"]
            self.assertEqual(total["capacitados"] + total["sin_dotacion"], 1)
        self.assertEqual(
            totales(Filtros(anio=2026, tenant_id=self.tenant_a.pk))["capacitados"], 1
        )
