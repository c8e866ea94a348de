"""Lo que ve quien espera una importación: el avance de la escritura (dentro de su
transacción, todo o nada) y, pasada la retención, que los valores de las filas con
error ya no se guardan (pueden traer RUT)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from content.models import Importacion
from content.tasks import importaciones_purgar_task
from content.trabajos import (
    importable,
    importacion_pedir,
    trabajo_avanzar,
    trabajo_iniciar,
)
from cursos.services.nomina import COLUMNAS
from lib.planillas import ResultadoImportacion
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import rut_valido
from tests.cursos.importar import subida, xlsx
from tests.cursos.test_importaciones import ImportacionesTestCase, fila_persona

# Lo que la página de avance respondió a mitad de la escritura (lo llena la función
# de importación de esta prueba).
VISTO: list[dict] = []
PRUEBA: list = []


@importable
def importar_y_mirar_el_avance(archivo, al_avanzar=None) -> ResultadoImportacion:
    prueba = PRUEBA[0]
    with transaction.atomic():
        # El UPDATE del avance queda dentro de la transacción: hasta el commit, otra
        # conexión (la de la página de avance) no lo ve. El savepoint deshecho hace
        # de «otra conexión»: en la base el avance sigue como antes.
        punto = transaction.savepoint()
        al_avanzar(73)
        transaction.savepoint_rollback(punto)
        VISTO.append(prueba.client_a.get(prueba.destino + "estado/").json())
    return ResultadoImportacion(creadas=1)


class AvanceDeLaEscrituraTests(ImportacionesTestCase):
    def test_la_pagina_de_avance_ve_la_escritura_dentro_de_la_transaccion(self):
        VISTO.clear()
        PRUEBA[:] = [self]
        with self.en_a():
            with self.captureOnCommitCallbacks() as pendientes:
                importacion = importacion_pedir(
                    usuario=self.olga,
                    tipo="nomina",
                    funcion=f"{__name__}.importar_y_mirar_el_avance",
                    archivo=subida(xlsx([COLUMNAS])),
                    columnas=COLUMNAS,
                )
        self.destino = f"/importaciones/{importacion.uuid}/"
        with self.en_a():
            for llamada in pendientes:
                llamada()
        [a_mitad] = VISTO
        self.assertEqual(
            (a_mitad["estado"], a_mitad["porcentaje"], a_mitad["terminado"]),
            ("en_curso", 73, False),
        )
        self.assertEqual(a_mitad["estado_etiqueta"], "Importando")
        final = self.client_a.get(self.destino + "estado/").json()
        self.assertEqual((final["porcentaje"], final["terminado"]), (100, True))


class AvanceEnCachePorTenantTests(ImportacionesTestCase):
    def test_el_avance_de_un_tenant_no_aparece_en_otro_con_el_mismo_id(self):
        with self.en_b():
            berta = usuario_asegurar(
                username="berta", password=CLAVE, rol=Rol.ENCARGADO
            )
            Importacion.objects.create(
                pk=987_654, tipo="nomina", usuario_id=berta.pk, funcion="x"
            )
        with self.en_a():
            de_alfa = Importacion.objects.create(
                pk=987_654, tipo="nomina", usuario_id=self.olga.pk, funcion="x"
            )
            trabajo_iniciar(de_alfa)
            trabajo_avanzar(de_alfa, porcentaje=40)
            Importacion.objects.filter(pk=de_alfa.pk).update(progreso=0)
        url = f"/importaciones/{de_alfa.uuid}/estado/"
        self.assertEqual(self.client_a.get(url).json()["porcentaje"], 40)
        self.ingresar(self.client_b, "berta")
        with self.en_b():
            de_beta = Importacion.objects.get(pk=987_654)
        r = self.client_b.get(f"/importaciones/{de_beta.uuid}/estado/")
        self.assertEqual((r.json()["estado"], r.json()["porcentaje"]), ("pendiente", 0))


class PurgaTests(ImportacionesTestCase):
    def setUp(self):
        super().setUp()
        self.rota = fila_persona(2, unidad="Prefectura Inexistente")
        self.pagina, self.destino = self.importar_nomina([fila_persona(1), self.rota])
        self.assertContains(self.pagina, "1 filas tienen errores")

    def _purgar_en(self, dias: int) -> None:
        with time_machine.travel(timezone.now() + timedelta(days=dias)):
            with self.en_a():
                importaciones_purgar_task()

    @override_settings(IMPORTACIONES_RETENCION_DIAS=30)
    def test_antes_del_plazo_la_planilla_de_errores_sigue(self):
        self._purgar_en(29)
        r = self.client_a.get(self.destino + "errores.xlsx")
        self.assertEqual(r.status_code, 200)
        self.assertContains(self.client_a.get(self.destino), "errores.xlsx")

    @override_settings(IMPORTACIONES_RETENCION_DIAS=30)
    def test_pasado_el_plazo_se_borran_los_valores_de_las_filas_con_error(self):
        self._purgar_en(31)
        pagina = self.client_a.get(self.destino)
        self.assertContains(pagina, "Rechazada: la planilla tiene errores")
        self.assertContains(pagina, "1 filas tenían errores")
        self.assertContains(pagina, "se borraron al cumplirse el plazo")
        self.assertNotContains(pagina, "errores.xlsx")
        self.assertNotContains(pagina, rut_valido(21_000_002))
        self.assertEqual(
            self.client_a.get(self.destino + "errores.xlsx").status_code, 404
        )
        self.assertIsNone(
            self.client_a.get(self.destino + "estado/").json()["descarga"]
        )
        with self.en_a():
            resultado = Importacion.objects.get().resultado
        self.assertNotIn(rut_valido(21_000_002), str(resultado))
        self.assertEqual(resultado["n_errores"], 1)
        # Una segunda pasada no cambia nada.
        self._purgar_en(32)
        with self.en_a():
            self.assertEqual(Importacion.objects.get().resultado, resultado)

    @override_settings(IMPORTACIONES_RETENCION_DIAS=7)
    def test_el_plazo_es_configurable(self):
        self._purgar_en(8)
        self.assertEqual(
            self.client_a.get(self.destino + "errores.xlsx").status_code, 404
        )
