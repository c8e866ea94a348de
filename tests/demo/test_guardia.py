"""crear_demo y generar_datos_indicadores se niegan a correr fuera de una base de
desarrollo (demo/guardia.py)."""

from __future__ import annotations

import os
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase, override_settings

from demo.guardia import base_de_desarrollo_exigir

PRODUCCION = {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
COMANDOS = [
    ("crear_demo", {}),
    ("generar_datos_indicadores", {"tenants": 1, "personas": 1}),
]


# SimpleTestCase: cualquier consulta a la base haría fallar la prueba, así que una
# negativa que pasa demuestra que el comando no escribió nada antes de negarse.
@override_settings(DEBUG=False)
class GuardiaDemoTests(SimpleTestCase):
    def test_se_niega_con_ajustes_de_produccion(self):
        for comando, opciones in COMANDOS:
            with (
                self.subTest(comando=comando),
                mock.patch.dict(os.environ, PRODUCCION),
                self.assertRaisesMessage(
                    CommandError, f"{comando} solo corre en una base de desarrollo"
                ) as error,
            ):
                call_command(comando, **opciones)
            self.assertIn("CAPACITA_PERMITIR_DEMO=1", str(error.exception))

    def test_se_niega_si_el_nombre_de_la_base_parece_de_produccion(self):
        for comando, opciones in COMANDOS:
            with (
                self.subTest(comando=comando),
                mock.patch.dict(connection.settings_dict, {"NAME": "capacita_prod"}),
                self.assertRaisesMessage(CommandError, "parece de producción"),
            ):
                call_command(comando, **opciones)

    def test_se_niega_aunque_debug_este_encendido_si_la_base_es_de_produccion(self):
        with (
            override_settings(DEBUG=True),
            mock.patch.dict(os.environ, PRODUCCION),
            mock.patch.dict(connection.settings_dict, {"NAME": "Capacita_Produccion"}),
            self.assertRaisesMessage(CommandError, "«Capacita_Produccion»"),
        ):
            base_de_desarrollo_exigir(comando="crear_demo")

    def test_permite_ajustes_de_desarrollo_o_pruebas(self):
        for modulo in ("config.settings.dev", "config.settings.test"):
            with mock.patch.dict(os.environ, {"DJANGO_SETTINGS_MODULE": modulo}):
                base_de_desarrollo_exigir(comando="crear_demo")

    def test_permite_debug_con_otros_ajustes(self):
        with override_settings(DEBUG=True), mock.patch.dict(os.environ, PRODUCCION):
            base_de_desarrollo_exigir(comando="crear_demo")

    def test_la_variable_explicita_permite_una_base_de_pruebas_con_otro_nombre(self):
        with (
            mock.patch.dict(os.environ, {**PRODUCCION, "CAPACITA_PERMITIR_DEMO": "1"}),
            mock.patch.dict(connection.settings_dict, {"NAME": "capacita_prod_copia"}),
        ):
            base_de_desarrollo_exigir(comando="crear_demo")
