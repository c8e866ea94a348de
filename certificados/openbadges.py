"""Credencial Open Badges 3.0 (AchievementCredential, W3C VC) firmada como VC-JWT.

Se firma con EdDSA (Ed25519) usando PyJWT; la clave pública está en
``/.well-known/jwks.json`` del sitio público, identificada por el ``kid`` del header.
La credencial no lleva RUT ni correo: la persona se identifica por su nombre, como en el
PDF, y el ``id`` de la credencial es la URL de verificación.
"""

from __future__ import annotations

import datetime as dt

import jwt
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.enlaces import url_publica
from verificacion.claves import clave_privada, jwk_publica

CONTEXTOS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _iso(valor) -> str:
    return valor.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _desde_iso(texto: str) -> int:
    return int(dt.datetime.fromisoformat(texto.replace("Z", "+00:00")).timestamp())


def credencial_construir(
    *, certificado, institucion: str, url_verificacion: str, esquema: str
) -> dict:
    credencial = {
        "@context": CONTEXTOS,
        "id": url_verificacion,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": {
            "id": url_publica("/"),
            "type": ["Profile"],
            "name": f"Mesa Intersectorial sobre Trata de Personas · {institucion}",
        },
        "validFrom": _iso(certificado.emitido_at),
        "name": certificado.curso_titulo,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificado.titular_nombre,
                }
            ],
            "achievement": {
                "id": f"urn:capacita:{esquema}:curso:{certificado.curso_id}",
                "type": ["Achievement"],
                "name": certificado.curso_titulo,
                "description": certificado.curso_titulo,
                "criteria": {
                    "narrative": _(
                        "Completar las lecciones obligatorias y aprobar la "
                        "evaluación final del curso."
                    )
                },
                "humanCode": certificado.codigo_formateado,
                "creditsAvailable": float(certificado.horas),
            },
        },
    }
    if certificado.vence_at:
        credencial["validUntil"] = _iso(certificado.vence_at)
    return credencial


def credencial_firmar(credencial: dict) -> str:
    """VC-JWT compacto (header ``alg: EdDSA``, ``kid`` del JWKS)."""
    reclamos = {
        "iss": credencial["issuer"]["id"],
        "jti": credencial["id"],
        "nbf": _desde_iso(credencial["validFrom"]),
        "iat": int(timezone.now().timestamp()),
        "vc": credencial,
    }
    if "validUntil" in credencial:
        reclamos["exp"] = _desde_iso(credencial["validUntil"])
    return jwt.encode(
        reclamos,
        clave_privada(),
        algorithm="EdDSA",
        headers={"kid": jwk_publica()["kid"], "typ": "JWT"},
    )
