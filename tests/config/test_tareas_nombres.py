"""Los nombres de las tareas de Celery están fijados y no dependen del módulo.

Un mensaje en la cola guarda el nombre de la tarea: si mover ``tasks.py`` de carpeta
cambiara ese nombre, el worker nuevo no reconocería los mensajes que dejó el anterior
(«Received unregistered task») y los descartaría.
"""

from __future__ import annotations

from django.conf import settings
from django.test import SimpleTestCase

from config.celery import app

ESPERADAS = {
    "capacita.avisos.diario",
    "capacita.certificados.barrer",
    "capacita.certificados.emitir",
    "capacita.certificados.lote_zip_construir",
    "capacita.certificados.vencimientos",
    "capacita.content.importacion_ejecutar",
    "capacita.content.importaciones_purgar",
    "capacita.evaluaciones.intentos_vencidos_cerrar",
    "capacita.indicadores.exportacion_generar",
    "capacita.indicadores.resumen_recalcular",
    "capacita.tenants.invitaciones_enviar",
}


def tareas_del_proyecto() -> dict:
    # Lo mismo que hace el worker al arrancar: importa cada tasks.py de INSTALLED_APPS.
    app.loader.import_default_modules()
    return {
        nombre: tarea
        for nombre, tarea in app.tasks.items()
        if not nombre.startswith("celery.")
    }


class TareasNombresTests(SimpleTestCase):
    def test_las_tareas_registradas_son_las_esperadas_con_nombre_fijo(self):
        self.assertEqual(set(tareas_del_proyecto()), ESPERADAS)

    def test_ningun_nombre_se_deriva_del_modulo(self):
        for nombre, tarea in tareas_del_proyecto().items():
            with self.subTest(nombre=nombre):
                self.assertFalse(nombre.startswith(tarea.__module__))
                self.assertTrue(nombre.startswith("capacita."))

    def test_el_beat_programa_tareas_registradas(self):
        tareas = tareas_del_proyecto()
        for entrada, datos in settings.CELERY_BEAT_SCHEDULE.items():
            with self.subTest(entrada=entrada):
                self.assertIn(datos["task"], tareas)
