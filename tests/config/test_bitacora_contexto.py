"""Cada línea de la bitácora dice de qué schema viene, y el RUT sigue tachado.

La bitácora de pruebas (config/settings/test.py) usa el mismo formato y el mismo filtro
de contexto que la consola de producción; el filtro sin_rut va solo en la consola.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import uuid

from django.conf import settings

from tests.base import CapacitaTestCase
from tests.seguridad.test_bitacora_sin_rut import bitacora_leer

RUT = "12.345.678-5"


def python_dev(codigo: str) -> subprocess.CompletedProcess:
    """Otro proceso con los ajustes de desarrollo, como un worker: así lo que escribe
    no llega a la bitácora de pruebas."""
    return subprocess.run(
        [sys.executable, "-c", codigo],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def consola() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.name == "console")


class BitacoraContextoTests(CapacitaTestCase):
    def test_una_peticion_del_tenant_deja_su_schema_en_la_linea(self):
        marca = f"contexto-{uuid.uuid4().hex}"
        self.client_a.get(f"/{marca}/")
        self.client_b.get(f"/{marca}-b/")
        lineas = bitacora_leer().splitlines()
        del_a = [linea for linea in lineas if f"Not Found: /{marca}/" in linea]
        del_b = [linea for linea in lineas if f"Not Found: /{marca}-b/" in linea]
        self.assertEqual(len(del_a), 1, lineas[-5:])
        self.assertIn("[alfa]", del_a[0])
        self.assertIn("[beta]", del_b[0])

    def test_fuera_de_un_tenant_la_linea_dice_public(self):
        marca = f"contexto-publico-{uuid.uuid4().hex}"
        logging.getLogger("capacita.pruebas").warning(marca)
        linea = next(x for x in bitacora_leer().splitlines() if marca in x)
        self.assertIn("[public] capacita.pruebas", linea)

    def test_la_consola_lleva_el_schema_y_tacha_el_rut(self):
        # Directo al manejador de la consola: el RUT no pasa por la bitácora de
        # pruebas, que la última prueba de la suite revisa.
        manejador = consola()
        salida = io.StringIO()
        anterior = manejador.setStream(salida)
        try:
            with self.en_a():
                registro = logging.LogRecord(
                    "capacita.pruebas",
                    logging.ERROR,
                    __file__,
                    1,
                    "Key (rut)=(%s) already exists",
                    (RUT,),
                    None,
                )
                manejador.handle(registro)
        finally:
            manejador.setStream(anterior)
        texto = salida.getvalue()
        self.assertIn("[alfa] capacita.pruebas Key (rut)=([RUT]) already exists", texto)
        self.assertNotIn(RUT, texto)

    def test_el_worker_de_celery_usa_la_bitacora_de_django(self):
        # Lo que hace ``celery worker`` al partir: importa las tareas (con eso Django
        # carga sus apps) y configura el logging.
        codigo = (
            "import logging\n"
            "from config.celery import app\n"
            "app.loader.import_default_modules()\n"
            "app.log.setup(loglevel='INFO')\n"
            f"logging.getLogger('celery.worker').warning('clave %s', {RUT!r})\n"
        )
        resultado = python_dev(codigo)
        self.assertEqual(resultado.returncode, 0, resultado.stderr[-2000:])
        self.assertIn("WARNING [public] celery.worker clave [RUT]", resultado.stderr)
        self.assertNotIn(RUT, resultado.stderr)

    def test_una_linea_anterior_a_la_carga_de_django_no_rompe(self):
        # Sin apps cargadas la conexión no se puede crear: el filtro no debe lanzar.
        codigo = (
            "import logging\n"
            "from config.celery import app\n"
            "app.log.setup(loglevel='INFO')\n"
            "logging.getLogger('celery.beat').warning('temprano')\n"
        )
        resultado = python_dev(codigo)
        self.assertEqual(resultado.returncode, 0, resultado.stderr[-2000:])
        self.assertIn("WARNING [-] celery.beat temprano", resultado.stderr)
