"""El resumen nacional es la salida de indicadores.selectors y vence con los datos."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from unittest import mock

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificados.services import certificado_emitir, certificado_revocar
from cursos.models import Asistencia
from cursos.services.jornadas import asistencia_registrar
from indicadores.models import Hecho, MetaAnual, ResumenNacional
from indicadores.resumen import resumen_obtener, resumen_recalcular
from indicadores.selectors import (
    anios_del_porcentaje,
    indicadores_calcular,
    logrado_por_meta,
    personas_por_version,
    porcentaje_nacional,
    totales,
)
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import curso_completar, rut_valido

from .base import IndicadoresTestCase, fecha, persona


class ResumenNacionalTests(IndicadoresTestCase):
    def _directo(self) -> dict:
        connection.set_schema_to_public()
        return {
            "logrados": {str(k): v for k, v in logrado_por_meta().items()},
            "por_tenant": indicadores_calcular(
                agrupar_por=["accion", "anio", "tenant"]
            ),
            "totales": totales(),
            "porcentajes": [
                porcentaje_nacional(anio=a) for a in anios_del_porcentaje()
            ],
            # Como queda en el JSON guardado: los pares (versión, personas) en listas.
            "por_version": json.loads(
                json.dumps([asdict(f) for f in personas_por_version()])
            ),
        }

    def _guardado(self) -> dict:
        connection.set_schema_to_public()
        return ResumenNacional.objects.get(clave="nacional").datos

    def _vence_y_se_recalcula(self, totales_antes: dict) -> dict:
        """Tras un cambio: el tablero ve el resumen vencido (con las cifras de antes),
        pide el recálculo una vez, y el recálculo iguala al cálculo directo."""
        with mock.patch("indicadores.tasks.resumen_recalcular_task.delay") as encolar:
            vencido = resumen_obtener()
            resumen_obtener()  # una segunda vista no vuelve a encolar
        self.assertFalse(vencido.vigente)
        self.assertEqual(vencido.totales, totales_antes)
        encolar.assert_called_once_with()
        resumen_recalcular()
        self.assertTrue(resumen_obtener().vigente)
        self.assertEqual(self._guardado(), self._directo())
        return self._guardado()["totales"]

    def test_igual_al_calculo_directo_y_vigente(self):
        resumen = resumen_obtener()  # sin resumen previo: se calcula en el momento
        self.assertTrue(resumen.vigente)
        self.assertEqual(self._guardado(), self._directo())
        self.assertEqual(resumen.totales["capacitados"], 3)
        self.assertEqual(
            resumen.logrados,
            {int(k): v for k, v in self._directo()["logrados"].items()},
        )

    def test_vence_con_completitud_asistencia_borrado_y_meta(self):
        antes = resumen_recalcular().datos["totales"]
        # Una completitud nueva (otra persona de alfa).
        with self.en_a():
            diego = persona(
                rut=rut_valido(14_444_444), nombre="Diego", sexo="masculino",
                unidad=self.u2,
            )  # fmt: skip
            with time_machine.travel(fecha(2025, 6, 1, 10), tick=False):
                curso_completar(diego, self.curso)
        antes = self._vence_y_se_recalcula(antes)
        self.assertEqual(antes["capacitados"], 4)
        # Una asistencia (Carla, de beta, a la jornada J2 ya cuenta; Bruno de alfa no
        # estaba en J2: se usa una persona nueva de beta).
        with self.en_b():
            elena = persona(
                rut=rut_valido(15_555_555), nombre="Elena", sexo="femenino",
                unidad=self.chacalluta,
            )  # fmt: skip
            asistencia_registrar(
                jornada=self.j2, usuario=elena, origen=Asistencia.Origen.PLANILLA
            )
        antes = self._vence_y_se_recalcula(antes)
        self.assertEqual(antes["capacitados"], 5)
        # Un hecho borrado (p. ej. al eliminar un tenant: la FK borra en cascada).
        connection.set_schema_to_public()
        Hecho.objects.filter(tenant=self.tenant_b).order_by("-pk").first().delete()
        antes = self._vence_y_se_recalcula(antes)
        self.assertEqual(antes["capacitados"], 4)
        # Editar una meta (el plazo) cambia lo logrado sin tocar los hechos.
        connection.set_schema_to_public()
        meta = MetaAnual.objects.get(
            accion__codigo="E3-A1.2", anio=2025, unidad="personas"
        )
        MetaAnual.objects.filter(pk=meta.pk).update(plazo=date(2025, 3, 31))
        self._vence_y_se_recalcula(antes)
        self.assertEqual(self._guardado()["logrados"].get(str(meta.pk)), None)

    def test_revocar_un_certificado_retira_su_hecho_y_vence_el_resumen(self):
        # Regla: revocar retira el hecho de la completitud (vencer no).
        # Ana sigue capacitada por la jornada J1; el curso deja de contar.
        antes = resumen_recalcular().datos["totales"]
        with self.en_a():
            certificado, _c = certificado_emitir(inscripcion_id=self.inscripcion.pk)
            certificado_revocar(certificado=certificado, motivo="Error", por="olga")
        despues = self._vence_y_se_recalcula(antes)
        self.assertEqual(despues["capacitados"], antes["capacitados"])
        self.assertEqual(despues["capacitaciones"], antes["capacitaciones"] - 1)

    def test_tablero_mitp_lee_el_resumen_sin_contar_hechos(self):
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        resumen_recalcular()
        with CaptureQueriesContext(connection) as consultas:
            r = self.client_publico.get("/indicadores/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Cifras calculadas el")
        self.assertNotContains(r, "se están actualizando")
        contadas = [q["sql"] for q in consultas if "COUNT(DISTINCT" in q["sql"]]
        self.assertEqual(contadas, [])

    def test_tablero_mitp_avisa_si_el_resumen_vencio(self):
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        resumen_recalcular()
        Hecho.objects.filter(tenant=self.tenant_b).delete()
        with mock.patch("indicadores.tasks.resumen_recalcular_task.delay") as encolar:
            r = self.client_publico.get("/indicadores/")
        self.assertContains(r, "se están actualizando")
        encolar.assert_called_once_with()

    def test_tarea_periodica_recalcula_solo_si_cambiaron_los_datos(self):
        from indicadores.tasks import resumen_recalcular_task

        resumen_recalcular_task.run()
        calculado = ResumenNacional.objects.get(clave="nacional").calculado_at
        resumen_recalcular_task.run()  # sin cambios: no vuelve a contar
        self.assertEqual(
            ResumenNacional.objects.get(clave="nacional").calculado_at, calculado
        )
        connection.set_schema_to_public()
        Hecho.objects.filter(tenant=self.tenant_b).delete()
        resumen_recalcular_task.run()
        self.assertGreater(
            ResumenNacional.objects.get(clave="nacional").calculado_at, calculado
        )
        self.assertEqual(self._guardado(), self._directo())
