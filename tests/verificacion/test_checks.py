"""``check --deploy`` exige la clave que firma los Open Badges cuando DEBUG es falso."""

from __future__ import annotations

import base64
import secrets

from django.core import checks
from django.test import SimpleTestCase, override_settings

from verificacion.checks import clave_openbadges_revisar
from verificacion.claves import semilla_decodificar, semilla_nueva


def _b64url(datos: bytes) -> str:
    return base64.urlsafe_b64encode(datos).rstrip(b"=").decode()


class ClaveOpenBadgesCheckTests(SimpleTestCase):
    def _ids(self) -> list[str]:
        return [error.id for error in clave_openbadges_revisar()]

    @override_settings(DEBUG=False, CERTIFICADOS_CLAVE_ED25519="")
    def test_sin_clave_y_sin_debug_es_un_error_claro(self):
        errores = clave_openbadges_revisar()
        self.assertEqual([e.id for e in errores], ["verificacion.E001"])
        self.assertEqual(errores[0].level, checks.ERROR)
        self.assertIn("CERTIFICADOS_CLAVE_ED25519 no está definida", errores[0].msg)
        self.assertIn("SECRET_KEY", errores[0].msg)
        self.assertIn("semilla_nueva", errores[0].hint)

    @override_settings(DEBUG=False, CERTIFICADOS_CLAVE_ED25519="   ")
    def test_clave_en_blanco_cuenta_como_ausente(self):
        self.assertEqual(self._ids(), ["verificacion.E001"])

    def test_clave_invalida_es_un_error(self):
        for invalida in (
            _b64url(secrets.token_bytes(16)),  # largo equivocado
            _b64url(secrets.token_bytes(33)),
            "no es base64url!" * 3,  # caracteres fuera del alfabeto
        ):
            with (
                self.subTest(invalida=invalida),
                override_settings(DEBUG=False, CERTIFICADOS_CLAVE_ED25519=invalida),
            ):
                errores = clave_openbadges_revisar()
                self.assertEqual([e.id for e in errores], ["verificacion.E001"])
                self.assertIn("CERTIFICADOS_CLAVE_ED25519", errores[0].msg)

    def test_clave_valida_con_o_sin_relleno_pasa(self):
        semilla = secrets.token_bytes(32)
        for texto in (
            _b64url(semilla),
            base64.urlsafe_b64encode(semilla).decode(),
            semilla_nueva(),
        ):
            with override_settings(DEBUG=False, CERTIFICADOS_CLAVE_ED25519=texto):
                self.assertEqual(self._ids(), [])
        self.assertEqual(semilla_decodificar(_b64url(semilla)), semilla)

    @override_settings(DEBUG=True, CERTIFICADOS_CLAVE_ED25519="")
    def test_en_desarrollo_no_se_exige(self):
        self.assertEqual(self._ids(), [])

    @override_settings(DEBUG=False, CERTIFICADOS_CLAVE_ED25519="")
    def test_esta_registrado_solo_como_revision_de_despliegue(self):
        despliegue = checks.run_checks(
            include_deployment_checks=True, tags=[checks.Tags.security]
        )
        self.assertIn("verificacion.E001", [e.id for e in despliegue])
        normal = checks.run_checks(tags=[checks.Tags.security])
        self.assertNotIn("verificacion.E001", [e.id for e in normal])

    @override_settings(CERTIFICADOS_CLAVE_ED25519="corta")
    def test_una_clave_invalida_no_se_usa_en_silencio_al_firmar(self):
        from verificacion.claves import clave_privada

        with self.assertRaisesMessage(ValueError, "CERTIFICADOS_CLAVE_ED25519"):
            clave_privada()
