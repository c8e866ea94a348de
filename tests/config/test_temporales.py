"""Lo que escriben las pruebas queda en la carpeta temporal de la corrida.

tests/conftest.py la crea, la vuelve el directorio temporal del proceso y la borra al
terminar (y avisa si aparecieron carpetas ``capacita-*`` sueltas en el sistema).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase


class CarpetaTemporalTests(SimpleTestCase):
    def setUp(self):
        self.carpeta = Path(settings.PRUEBAS_TMP)

    def test_los_archivos_de_las_pruebas_no_van_a_data(self):
        for nombre in (
            "MEDIA_ROOT",
            "ARCHIVOS_PRIVADOS_DIR",
            "INDICADORES_EXPORTACIONES_DIR",
        ):
            with self.subTest(nombre):
                ruta = Path(getattr(settings, nombre))
                self.assertTrue(ruta.is_relative_to(self.carpeta), ruta)

    def test_mkdtemp_y_los_subprocesos_caen_en_la_carpeta_de_la_corrida(self):
        self.assertTrue(self.carpeta.is_dir())
        self.assertEqual(Path(tempfile.gettempdir()), self.carpeta)
        self.assertEqual(os.environ["TMPDIR"], str(self.carpeta))
        self.assertEqual(os.environ["CAPACITA_PRUEBAS_TMP"], str(self.carpeta))
        caja = Path(tempfile.mkdtemp(prefix="capacita-caja-"))
        self.assertEqual(caja.parent, self.carpeta)
