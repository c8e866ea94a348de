"""Escenario calculado a mano (2025): catálogo, atribución, misma población y % MITP.

Sobre el conjunto de base.py (alfa: Ana y Bruno de Carabineros en U1 y U2, J1 para
E3-A1.2; beta: Ana con el mismo RUT y Carla, del SAG, en Chacalluta, J2 para E1-A2.3):

- alfa: U3 (Carabineros) sin dotación. Diego (sexo en blanco, U3) y Eva (sin unidad
  ni institución) asisten a J1. Bruno se cambia de U2 a U1 y en junio completa un
  curso: su unidad al capacitarse fue U1.
- beta: «Hotel Arica» de FEDETUR (turismo, privado), dotación 20 (12 mujeres, 8
  hombres). Fabiola asiste a doce sesiones el 4 de agosto, todas para E1-A1.10.
- Carla (control fronterizo) completa dos cursos del núcleo etiquetados E1-A3.1,
  E2-A2.1 y E1-A1.9: no es destinataria de esas acciones.

Cifras a mano, 2025:
- alfa: dotación 15 (U1 10 con 6 mujeres, U2 5). Capacitados en unidades con
  dotación: Ana (U1) y Bruno (U2 por J1, U1 por el curso) = 2 → 13,3 %. Sin dotación
  informada: Diego (U3) y Eva (sin unidad) = 2. U1: Ana y Bruno 2/10 = 20 %;
  U2: Bruno 1/5 = 20 %.
- nacional: dotación 35 (U1, U2, Hotel). Capacitados: Ana, Bruno, Fabiola = 3 →
  8,6 %. Sin dotación: Ana (también en Chacalluta, misma clave), Carla, Diego, Eva
  = 4. Dotación informada: 3 de 5 unidades = 60 %. Por sector: público 2/15 = 13,3;
  privado 1/20 = 5,0. Por sexo: mujeres 2/18 (U1 6 + Hotel 12) = 11,1; hombres
  0/8 (U1 no informó hombres) = 0,0. Instituciones: Carabineros, SAG, FEDETUR = 3
  (Eva, sin institución, no es una).
- metas: E3-A1.2 personas = 3 (Ana, Bruno, Diego; Eva no tiene institución del
  catálogo), capacitaciones = 1; E1-A2.3 complejos = 1; E1-A1.10 meses = 1 (no 12);
  E1-A3.1, E2-A2.1 y E1-A1.9 = 0.
"""

from __future__ import annotations

from datetime import date

import time_machine
from django.db import connection
from django.test import override_settings

from cursos.models import Asistencia, Perfil
from cursos.services.jornadas import asistencia_registrar
from cursos.services.nomina import dotacion_guardar
from indicadores.selectors import Filtros, metas_avance, porcentaje_nacional, totales
from tenants.models import InstitucionCatalogo
from tests.cursos.factories import (
    InstitucionFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    curso_por_clave,
    rut_registrar,
    rut_valido,
)

from .base import IndicadoresTestCase, fecha, jornada_crear, persona
from .test_exportaciones import _TMP, _libro

HOY = date(2025, 12, 15)


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class EscenarioPlanTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.u3 = UnidadFactory(
                institucion=self.u1.institucion, nombre="U3", region="arica"
            )
            diego = persona(
                rut=rut_valido(14_444_444), nombre="Diego", sexo="", unidad=self.u3
            )
            eva = UsuarioFactory(first_name="Eva", last_name="Prueba")
            rut_registrar(eva, rut_valido(16_666_666))
            for u in (diego, eva):
                asistencia_registrar(
                    jornada=self.j1, usuario=u, origen=Asistencia.Origen.PLANILLA
                )
            Perfil.objects.filter(usuario=self.bruno).update(unidad=self.u1)
            with time_machine.travel(fecha(2025, 6, 10, 12), tick=False):
                curso_completar(self.bruno, curso_por_clave("que-es-la-trata"))
        with self.en_b():
            fedetur = InstitucionFactory(
                nombre="FEDETUR",
                catalogo=InstitucionCatalogo.objects.get(codigo="fedetur"),
            )
            hotel = UnidadFactory(institucion=fedetur, nombre="Hotel Arica")
            dotacion_guardar(
                unidad=hotel, anio=2025, total=20, femenino=12, masculino=8
            )
            fabiola = persona(
                rut=rut_valido(17_777_777), nombre="Fabiola", sexo="femenino",
                unidad=hotel,
            )  # fmt: skip
            for hora in range(8, 20):
                j = jornada_crear(
                    tema=f"Sesión turismo {hora}",
                    acciones=["e1-a1.10"],  # en minúsculas: se normaliza
                    inicio=fecha(2025, 8, 4, hora),
                )
                asistencia_registrar(
                    jornada=j, usuario=fabiola, origen=Asistencia.Origen.QR
                )
            with time_machine.travel(fecha(2025, 9, 1, 12), tick=False):
                curso_completar(self.carla, curso_por_clave("que-es-la-trata"))
                curso_completar(self.carla, curso_por_clave("enfoques-transversales"))
        connection.set_schema_to_public()

    def _logrado(self) -> dict:
        connection.set_schema_to_public()
        return {
            (a.accion.codigo, a.meta.anio, a.meta.unidad): a.logrado
            for a in metas_avance(hoy=HOY)
        }

    def test_metas_cuentan_solo_destinatarios_y_modalidades(self):
        logrado = self._logrado()
        self.assertEqual(logrado[("E3-A1.2", 2025, "personas")], 3)
        self.assertEqual(logrado[("E3-A1.2", 2025, "capacitaciones")], 1)
        self.assertEqual(logrado[("E1-A2.3", 2025, "complejos")], 1)
        self.assertEqual(logrado[("E1-A1.10", 2025, "meses")], 1)
        self.assertEqual(logrado[("E1-A1.9", 2025, "capacitaciones")], 0)
        self.assertEqual(logrado[("E2-A2.1", 2025, "capacitaciones")], 0)
        self.assertEqual(logrado[("E1-A3.1", 2026, "capacitaciones")], 0)
        self.assertEqual(logrado[("E1-A2.2", 2026, "nombradas")], 0)
        self.assertEqual(totales(Filtros(anio=2025))["instituciones"], 3)

    def test_porcentaje_nacional(self):
        p = porcentaje_nacional(anio=2025)
        self.assertEqual(p["total"]["dotacion"], 35)
        self.assertEqual(p["total"]["capacitados"], 3)
        self.assertEqual(p["total"]["porcentaje"], 8.6)
        self.assertEqual(p["sin_dotacion"], 4)
        self.assertEqual(
            p["cobertura"], {"unidades": 5, "con_dotacion": 3, "porcentaje": 60.0}
        )
        sector = {f["clave"]: f["porcentaje"] for f in p["por"]["sector"]}
        self.assertEqual(sector, {"publico": 13.3, "privado": 5.0})
        tenant = {f["clave"]: f["porcentaje"] for f in p["por"]["tenant"]}
        self.assertEqual(tenant, {"alfa": 13.3, "beta": 5.0})
        sexo = {
            f["clave"]: (f["capacitados"], f["porcentaje"]) for f in p["por"]["sexo"]
        }
        self.assertEqual(sexo["femenino"], (2, 11.1))
        self.assertEqual(sexo["masculino"], (0, 0.0))

    def test_tablero_encargado_misma_poblacion(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get("/encargado/indicadores/?anio=2025")
        self.assertEqual(r.status_code, 200)
        total = r.context["total"]
        self.assertEqual(
            (total["dotacion"], total["capacitados"], total["porcentaje"]),
            (15, 2, 13.3),
        )
        self.assertEqual(total["sin_dotacion"], 2)
        unidades = {f["unidad"]: f for f in r.context["unidades"]}
        self.assertEqual(unidades["U1"]["porcentaje"], 20.0)
        self.assertEqual(unidades["U2"]["porcentaje"], 20.0)
        self.assertIsNone(unidades["U3"]["porcentaje"])
        sexos = dict(r.context["por_sexo"])
        self.assertIn("No informado", sexos)  # Diego, sexo en blanco
        self.assertNotIn("Prefiere no informar", sexos)

    def test_exportacion_por_unidad_misma_poblacion(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(
            "/encargado/indicadores/exportar/unidades/", {"anio": 2025}
        )
        filas = list(_libro(r)["% por unidad"].iter_rows(values_only=True))
        por_unidad = {f[1]: (f[3], f[6], f[9]) for f in filas[1:-2]}
        self.assertEqual(por_unidad["U1"], (10, 2, 20.0))
        self.assertEqual(por_unidad["U2"], (5, 1, 20.0))
        self.assertEqual(por_unidad["U3"], (None, 1, None))
        total, sin = filas[-2], filas[-1]
        self.assertEqual((total[3], total[6], total[9]), (15, 2, 13.3))
        self.assertEqual((sin[0], sin[6]), ("Sin dotación informada (fuera del %)", 2))

    def test_tablero_mitp_y_libro_del_plan(self):
        from tenants.roles import Rol
        from tenants.services import usuario_asegurar
        from tests.base import CLAVE

        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        with time_machine.travel(fecha(2025, 12, 15, 12), tick=False):
            r = self.client_publico.get("/indicadores/?anio=2025")
            self.assertContains(r, "% capacitado nacional 2025")
            self.assertContains(r, "8,6 %")
            self.assertContains(r, "3 de 5 unidades informaron dotación")
            libro = _libro(self.client_publico.post("/indicadores/exportar/plan/"))
        filas = list(libro["% capacitado"].iter_rows(values_only=True))
        total = [f for f in filas if f[0] == 2025 and f[1] == "Total"][0]
        self.assertEqual(total[3:], (35, 3, 8.6))
        sin = [f for f in filas if f[0] == 2025 and f[1] == "Sin dotación informada"]
        self.assertEqual(sin[0][4], 4)
        resumen = {
            (f[0], f[3], f[4]): f[6]
            for f in libro["Resumen"].iter_rows(values_only=True)
        }
        self.assertEqual(
            resumen[("E1-A1.10", 2025, "meses distintos con capacitación")], 1
        )
        self.assertEqual(resumen[("E3-A1.2", 2025, "personas")], 3)
        # Desglose de E3-A1.2 por institución nacional: Carabineros una vez (Eva,
        # sin institución, asistió pero no es destinataria ni institución).
        hoja = list(libro["E3-A1.2"].iter_rows(values_only=True))
        inst = {f[2]: f[3] for f in hoja if f[0] == 2025 and f[1] == "Institución"}
        self.assertEqual(inst, {"Carabineros de Chile": 3})
        sector = {f[2]: f[3] for f in hoja if f[0] == 2025 and f[1] == "Sector"}
        self.assertEqual(sector, {"Público": 3})
        metodo = dict(libro["Metodología"].iter_rows(values_only=True))
        self.assertIn("Unidad al momento de la capacitación", metodo)
        self.assertIn("Capacitado", metodo)


class CatalogoVinculoTests(IndicadoresTestCase):
    def test_vincular_despues_mueve_lo_ya_contado_a_la_institucion_nacional(self):
        with self.en_b():
            otra = InstitucionFactory(nombre="Aduana local")
            unidad = UnidadFactory(institucion=otra, nombre="Colchane")
            dotacion_guardar(unidad=unidad, anio=2025, total=4)
            gina = persona(
                rut=rut_valido(18_888_888), nombre="Gina", sexo="femenino",
                unidad=unidad,
            )  # fmt: skip
            asistencia_registrar(
                jornada=self.j2, usuario=gina, origen=Asistencia.Origen.QR
            )
        connection.set_schema_to_public()
        # Sin catálogo no es institución ni destinataria: Gina no suma a E1-A2.3.
        self.assertEqual(totales(Filtros(anio=2025))["instituciones"], 2)
        with self.en_b():
            otra.catalogo = InstitucionCatalogo.objects.get(codigo="aduanas")
            otra.save()
        connection.set_schema_to_public()
        self.assertEqual(totales(Filtros(anio=2025))["instituciones"], 3)
        p = porcentaje_nacional(anio=2025)
        sector = {f["clave"]: f["dotacion"] for f in p["por"]["sector"]}
        self.assertEqual(sector["publico"], 19)  # alfa 15 + Colchane 4


class InstitucionesNombradasTests(IndicadoresTestCase):
    def test_presentacion_del_protocolo_a_mejor_ninez_cuenta_una_vez(self):
        """E1-A2.2: dos presentaciones a Mejor Niñez en años distintos son una de las
        cuatro instituciones nombradas; la jornada no declara acciones y valen las
        del curso vinculado (protocolo: E2-A2.1 y E1-A2.2)."""
        from cursos.models import Jornada
        from cursos.services.jornadas import jornada_guardar

        with self.en_b():
            inst = InstitucionFactory(
                nombre="Mejor Niñez Arica",
                catalogo=InstitucionCatalogo.objects.get(codigo="mejor-ninez"),
            )
            unidad = UnidadFactory(institucion=inst, nombre="Residencia Arica")
            hilda = persona(
                rut=rut_valido(19_999_999), nombre="Hilda", sexo="femenino",
                unidad=unidad,
            )  # fmt: skip
            curso = curso_por_clave("protocolo-intersectorial")
            for inicio in (fecha(2024, 10, 1, 9), fecha(2025, 10, 1, 9)):
                j = jornada_guardar(
                    jornada=Jornada(
                        curso=curso, inicio=inicio, fin=inicio.replace(hour=12)
                    )
                )
                asistencia_registrar(
                    jornada=j, usuario=hilda, origen=Asistencia.Origen.PLANILLA
                )
        connection.set_schema_to_public()
        logrado = {
            (a.accion.codigo, a.meta.anio, a.meta.unidad): a.logrado
            for a in metas_avance(hoy=HOY)
        }
        self.assertEqual(logrado[("E1-A2.2", 2026, "nombradas")], 1)
        # E2-A2.1 (atención directa, al 30-06-2025): solo la jornada de 2024.
        self.assertEqual(logrado[("E2-A2.1", 2025, "capacitaciones")], 1)


class InstitucionSelectorTests(IndicadoresTestCase):
    def test_el_admin_del_tenant_elige_la_institucion_del_catalogo(self):
        from django.contrib.auth import get_user_model

        from tests.base import CLAVE

        with self.en_a():
            get_user_model().objects.create_superuser(
                username="raiz", password=CLAVE, email="raiz@example.org"
            )
            inst = self.u1.institucion
        self.ingresar(self.client_a, "raiz")
        r = self.client_a.get(f"/admin/snippets/cursos/institucion/edit/{inst.pk}/")
        self.assertContains(r, "nstitución del catálogo nacional")
        self.assertContains(r, "Servicio Nacional de Migraciones")
        sermig = InstitucionCatalogo.objects.get(codigo="sermig")
        r = self.client_a.post(
            f"/admin/snippets/cursos/institucion/edit/{inst.pk}/",
            {"nombre": inst.nombre, "sigla": "CAR", "catalogo": sermig.pk},
        )
        self.assertEqual(r.status_code, 302)
        connection.set_schema_to_public()
        from indicadores.models import Hecho

        # Lo ya contado de la institución pasa a la nueva entrada del catálogo.
        self.assertEqual(
            set(
                Hecho.objects.filter(tenant=self.tenant_a).values_list(
                    "catalogo__codigo", flat=True
                )
            ),
            {"sermig"},
        )
