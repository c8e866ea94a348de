"""La credencial OB 3.0 se verifica con PyJWT + cryptography contra el JWKS publicado,
sin usar el código de firma del proyecto."""

from __future__ import annotations

import base64
import json

import jwt

from tests.certificados.base import RUT_ALICE, CertificadosTestCase


def _b64(datos: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()


class OpenBadgesTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()
        self.ingresar(self.client_a, "alice")
        response = self.client_a.get(f"/certificados/{self.certificado.pk}/openbadge/")
        self.assertEqual(response.status_code, 200)
        self.token = response.content.decode()
        jwks = self.client_publico.get("/.well-known/jwks.json")
        self.assertEqual(jwks.status_code, 200)
        self.jwks = jwks.json()

    def _verificar(self, token: str) -> dict:
        kid = jwt.get_unverified_header(token)["kid"]
        clave = jwt.PyJWKSet.from_dict(self.jwks)[kid]
        return jwt.decode(token, key=clave, algorithms=["EdDSA"])

    def test_la_credencial_verifica_con_la_clave_publicada(self):
        self.assertEqual(self.jwks["keys"][0]["crv"], "Ed25519")
        reclamos = self._verificar(self.token)
        vc = reclamos["vc"]
        self.assertIn("AchievementCredential", vc["type"])
        self.assertIn("VerifiableCredential", vc["type"])
        self.assertIn("https://www.w3.org/ns/credentials/v2", vc["@context"])
        self.assertEqual(
            vc["id"], f"http://localhost:8000/verificar/{self.certificado.codigo}"
        )
        self.assertEqual(
            vc["credentialSubject"]["achievement"]["name"], self.curso.title
        )
        self.assertEqual(
            vc["credentialSubject"]["identifier"][0]["identityHash"], "Alice Alfa"
        )
        self.assertIn("validUntil", vc)
        self.assertNotIn(RUT_ALICE, json.dumps(reclamos))

    def test_la_credencial_adulterada_no_verifica(self):
        cabecera, cuerpo, firma = self.token.split(".")
        reclamos = json.loads(
            base64.urlsafe_b64decode(cuerpo + "=" * (-len(cuerpo) % 4))
        )
        reclamos["vc"]["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
        adulterado = ".".join([cabecera, _b64(reclamos), firma])
        with self.assertRaises(jwt.InvalidSignatureError):
            self._verificar(adulterado)

    def test_otra_clave_no_verifica(self):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PrivateKey,
        )

        otra = Ed25519PrivateKey.generate()
        falso = jwt.encode(
            jwt.decode(self.token, options={"verify_signature": False}),
            otra,
            algorithm="EdDSA",
            headers={"kid": jwt.get_unverified_header(self.token)["kid"]},
        )
        with self.assertRaises(jwt.InvalidSignatureError):
            self._verificar(falso)
