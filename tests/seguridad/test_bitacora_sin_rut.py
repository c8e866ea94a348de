"""La bitácora de toda la suite no contiene ningún RUT (DESIGN.md §6, Ley 21.719).

config/settings/test.py copia cada registro en .data/logs/pruebas.log, que
tests/conftest.py vacía al comenzar y deja esta prueba al final de la sesión.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings

from config.bitacora import PATRON_RUT, SinRutFilter
from tests.base import CapacitaTestCase


def bitacora_leer() -> str:
    for manejador in logging.getLogger().handlers:
        manejador.flush()
    return settings.BITACORA_PRUEBAS.read_text(encoding="utf-8")


class BitacoraSinRutTests(CapacitaTestCase):
    def test_el_patron_reconoce_rut_con_y_sin_puntos(self):
        for rut in ["12.345.678-5", "12345678-K", "9.876.543-2", "7654321-k"]:
            self.assertRegex(f"usuario {rut} ingresó", PATRON_RUT)
        for otro in ["2026-11-23 19:45:01", "uuid 123e4567-e89b", "pk 12345"]:
            self.assertNotRegex(otro, PATRON_RUT)

    def test_el_filtro_de_produccion_tacha_rut_en_mensajes_y_trazas(self):
        registro = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "Key (rut)=(%s) existe",
            ("12345678-5",),
            None,
        )
        try:
            raise ValueError("duplicado 12.345.678-5")
        except ValueError:
            import sys

            registro.exc_info = sys.exc_info()
        SinRutFilter().filter(registro)
        texto = logging.Formatter().format(registro)
        self.assertNotRegex(texto, PATRON_RUT)
        self.assertIn("Key (rut)=([RUT]) existe", texto)

    def test_la_bitacora_de_la_suite_no_contiene_rut(self):
        marca = f"marca-bitacora-{uuid.uuid4().hex}"
        logging.getLogger("capacita.pruebas").warning(marca)
        # Un 404 real: los registros de django.request también llegan al archivo.
        self.client_a.get(f"/{marca}/")
        texto = bitacora_leer()
        self.assertIn(marca, texto)
        self.assertIn(f"Not Found: /{marca}/", texto)
        con_rut = [linea for linea in texto.splitlines() if PATRON_RUT.search(linea)]
        self.assertEqual(con_rut, [], "La bitácora de pruebas contiene RUT")
