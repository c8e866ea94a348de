"""La población de la demo escribe hechos reales, con catálogo y dotación, una vez.

Se construye a escala 0,1 (unas 20 personas) en el tenant alfa con los datos de
«policias»: lo mismo que hace ``crear_demo`` en cada tenant de demo.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date

from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from certificados.models import Certificado
from cursos.models import Asistencia, Jornada, Perfil
from demo.datos import APELLIDOS, POBLACIONES
from demo.metas import REGISTROS, metas_manuales_demo_asegurar
from demo.poblacion import (
    jornadas_de,
    personas_generar,
    poblacion_demo_asegurar,
)
from indicadores.metas_manuales import evidencia_ruta
from indicadores.models import DotacionNacional, Hecho, MetaAnual
from indicadores.plan import plan_cargar
from indicadores.selectors import EstadoMeta, metas_avance
from lib.rut import rut_normalizar
from tenants.models import InstitucionCatalogo
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

ESCALA = 0.1
# Las etiquetas de los gráficos se cortan a 40 caracteres (indicadores.graficos):
# los nombres de la demo caben enteros.
LARGO_ETIQUETA = 40


def _hechos(tenant) -> list[Hecho]:
    with schema_context("public"):
        return list(Hecho.objects.filter(tenant=tenant))


class PoblacionDemoTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        plan_cargar()
        with self.en_a():
            self.funcionario = usuario_asegurar(
                username="funcionario", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            self.resultado = poblacion_demo_asegurar(
                poblacion="policias", escala=ESCALA
            )
        connection.set_schema_to_public()

    def test_los_hechos_son_de_instituciones_del_catalogo_entre_2024_y_2026(self):
        hechos = _hechos(self.tenant_a)
        self.assertGreater(len(hechos), 20)
        catalogo = set(
            InstitucionCatalogo.objects.filter(
                codigo__in=["carabineros", "pdi"]
            ).values_list("pk", flat=True)
        )
        self.assertEqual({h.catalogo_id for h in hechos}, catalogo)
        self.assertEqual({h.fecha.year for h in hechos}, {2024, 2025, 2026})
        self.assertEqual({h.tipo for h in hechos}, {"curso", "jornada"})
        with self.en_a():
            # Cada curso completado trae su certificado, fechado cuando se completó.
            certificados = Certificado.objects.select_related("inscripcion")
            self.assertEqual(certificados.count(), self.resultado.completados)
            for certificado in certificados:
                self.assertEqual(
                    certificado.emitido_at, certificado.inscripcion.completado_at
                )

    def test_cada_unidad_tiene_dotacion_2024_2025_y_2026(self):
        unidades = len(POBLACIONES["policias"]["unidades"])
        with schema_context("public"):
            filas = DotacionNacional.objects.filter(tenant=self.tenant_a)
            self.assertEqual(filas.count(), unidades * 3)
            self.assertEqual(
                set(filas.values_list("anio", flat=True)), {2024, 2025, 2026}
            )
            self.assertFalse(filas.filter(catalogo_id__isnull=True).exists())

    def test_el_tablero_de_la_encargada_muestra_cifras_distintas_de_cero(self):
        self.ingresar(self.client_a, "olga")
        for anio in (2024, 2025, 2026):
            respuesta = self.client_a.get(f"/encargado/indicadores/?anio={anio}")
            self.assertEqual(respuesta.status_code, 200)
            total = respuesta.context["total"]
            self.assertGreater(total["capacitados"], 0, anio)
            self.assertGreater(total["porcentaje"], 0, anio)
            self.assertLess(total["porcentaje"], 100, anio)
            self.assertTrue(respuesta.context["meses"], anio)

    def test_la_cuenta_funcionario_queda_en_una_unidad_con_dotacion(self):
        with self.en_a():
            perfil = Perfil.objects.get(usuario=self.funcionario)
            self.assertEqual(perfil.unidad.nombre, "Prefectura Arica")
            self.assertEqual(perfil.unidad.dotaciones.count(), 3)

    def test_la_meta_de_investigacion_penal_2026_se_cumple(self):
        avance = next(
            a
            for a in metas_avance()
            if a.accion.codigo == "E3-A1.2"
            and a.meta.anio == 2026
            and a.meta.unidad == "personas"
        )
        self.assertGreaterEqual(avance.logrado, avance.meta.valor)

    def test_una_segunda_pasada_no_agrega_nada(self):
        antes = len(_hechos(self.tenant_a))
        with self.en_a():
            conteos = [
                m.objects.count() for m in (Perfil, Jornada, Asistencia, Certificado)
            ]
            otra = poblacion_demo_asegurar(poblacion="policias", escala=ESCALA)
            despues = [
                m.objects.count() for m in (Perfil, Jornada, Asistencia, Certificado)
            ]
        self.assertEqual((otra.personas_nuevas, otra.completados), (0, 0))
        self.assertEqual((otra.jornadas, otra.asistencias), (0, 0))
        self.assertEqual(despues, conteos)
        self.assertEqual(len(_hechos(self.tenant_a)), antes)


class NominaFicticiaTests(CapacitaTestCase):
    def test_la_nomina_es_ficticia_valida_y_con_sexo_sin_informar(self):
        for schema in POBLACIONES:
            personas = personas_generar(schema)
            self.assertTrue(150 <= len(personas) <= 300, schema)
            for p in personas:
                self.assertEqual(rut_normalizar(p.rut), p.rut)
                self.assertTrue(set(p.apellidos.split()) <= set(APELLIDOS))
            sexos = {p.sexo for p in personas}
            self.assertTrue({"F", "M", ""} <= sexos, schema)
            # Siempre la misma nómina: reimportar no crea a nadie nuevo.
            self.assertEqual(personas, personas_generar(schema))

    def test_los_nombres_de_unidades_y_jornadas_caben_en_los_graficos(self):
        for schema, datos in POBLACIONES.items():
            nombres = [u[1] for u in datos["unidades"]]
            nombres += [j[1] for j in jornadas_de(schema, datos)]
            for nombre in nombres:
                self.assertLessEqual(len(nombre), LARGO_ETIQUETA, nombre)

    def test_la_pdi_de_frontera_comparte_rut_con_la_de_policias(self):
        policias = {p.rut for p in personas_generar("policias")}
        fronteras = {p.rut for p in personas_generar("fronteras")}
        self.assertEqual(len(policias & fronteras), 8)


class MetasManualesDemoTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        carpeta = tempfile.mkdtemp(prefix="capacita-demo-evidencias-")
        self.addCleanup(shutil.rmtree, carpeta, ignore_errors=True)
        ajuste = override_settings(INDICADORES_EVIDENCIAS_DIR=carpeta)
        ajuste.enable()
        self.addCleanup(ajuste.disable)
        connection.set_schema_to_public()
        plan_cargar()

    def test_registra_con_evidencia_pdf_una_sola_vez(self):
        self.assertEqual(metas_manuales_demo_asegurar(), len(REGISTROS))
        self.assertEqual(metas_manuales_demo_asegurar(), 0)
        registradas = MetaAnual.objects.filter(logrado_manual__isnull=False)
        self.assertEqual(registradas.count(), len(REGISTROS))
        for meta in registradas:
            ruta = evidencia_ruta(meta)
            self.assertTrue(ruta.read_bytes().startswith(b"%PDF-"))
            self.assertLess(meta.registrado_at.date(), meta.plazo)
        estados = {
            (a.accion.codigo, a.meta.plazo): a.estado
            for a in metas_avance()
            if a.meta.es_manual
        }
        self.assertEqual(estados[("E1-A1.6", date(2025, 12, 31))], EstadoMeta.CUMPLIDA)
        # Las que la demo deja sin registrar siguen a la vista como no cumplidas.
        self.assertEqual(
            estados[("E3-A2.4", date(2025, 4, 30))], EstadoMeta.NO_CUMPLIDA
        )
