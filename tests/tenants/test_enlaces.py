"""Un solo armador de enlaces absolutos (tenants/enlaces.py): puerto y esquema."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from tenants.enlaces import url_host, url_publica


class UrlHostTests(SimpleTestCase):
    @override_settings(CAPACITA_PUERTO="8123", CAPACITA_ESQUEMA="http")
    def test_lleva_el_puerto_real(self):
        self.assertEqual(url_host("alfa.localhost"), "http://alfa.localhost:8123/")

    @override_settings(CAPACITA_PUERTO="", CAPACITA_ESQUEMA="https")
    def test_sin_puerto_en_produccion(self):
        self.assertEqual(
            url_host("policias.capacita.gob.cl", "/clave/"),
            "https://policias.capacita.gob.cl/clave/",
        )

    @override_settings(CAPACITA_PUERTO="443", CAPACITA_ESQUEMA="https")
    def test_omite_el_puerto_del_esquema(self):
        self.assertEqual(url_host("x.cl"), "https://x.cl/")

    @override_settings(
        CAPACITA_PUERTO="8123",
        CAPACITA_DOMINIO="localhost",
        CERTIFICADOS_URL_PUBLICA="",
    )
    def test_el_sitio_publico_se_arma_al_momento(self):
        self.assertEqual(
            url_publica("/verificar/X"), "http://localhost:8123/verificar/X"
        )

    @override_settings(CERTIFICADOS_URL_PUBLICA="https://capacita.gob.cl/")
    def test_la_url_publica_fija_manda(self):
        self.assertEqual(
            url_publica("/verificar/X"), "https://capacita.gob.cl/verificar/X"
        )
