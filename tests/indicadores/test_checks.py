"""La clave de persona es obligatoria en producción (manage.py check --deploy)."""

from __future__ import annotations

from django.core.checks import run_checks
from django.test import SimpleTestCase, override_settings

from indicadores.checks import CLAVE_DESARROLLO, clave_persona_revisar

CLAVE_BUENA = "k" * 48


def _ids(errores) -> set[str]:
    return {e.id for e in errores}


class ClavePersonaCheckTests(SimpleTestCase):
    @override_settings(DEBUG=False, INDICADORES_CLAVE_PERSONA=CLAVE_DESARROLLO)
    def test_valor_de_desarrollo_sin_debug_es_error(self):
        errores = clave_persona_revisar()
        self.assertEqual(_ids(errores), {"indicadores.E001"})
        self.assertIn("valor de desarrollo", errores[0].msg)

    @override_settings(DEBUG=False, INDICADORES_CLAVE_PERSONA="corta")
    def test_clave_corta_sin_debug_es_error(self):
        self.assertEqual(_ids(clave_persona_revisar()), {"indicadores.E001"})

    @override_settings(DEBUG=False, INDICADORES_CLAVE_PERSONA="")
    def test_clave_vacia_sin_debug_es_error(self):
        self.assertEqual(_ids(clave_persona_revisar()), {"indicadores.E001"})

    @override_settings(DEBUG=False, INDICADORES_CLAVE_PERSONA=CLAVE_BUENA)
    def test_clave_propia_larga_pasa(self):
        self.assertEqual(clave_persona_revisar(), [])

    @override_settings(DEBUG=True, INDICADORES_CLAVE_PERSONA="corta")
    def test_en_desarrollo_no_se_exige(self):
        self.assertEqual(clave_persona_revisar(), [])

    @override_settings(DEBUG=False, INDICADORES_CLAVE_PERSONA="corta")
    def test_registrada_solo_para_check_deploy(self):
        # Registrada en IndicadoresConfig.ready() con deploy=True.
        con_deploy = run_checks(include_deployment_checks=True, tags=["security"])
        self.assertIn("indicadores.E001", _ids(con_deploy))
        sin_deploy = run_checks(include_deployment_checks=False)
        self.assertNotIn("indicadores.E001", _ids(sin_deploy))
