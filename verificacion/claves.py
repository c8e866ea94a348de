"""Clave Ed25519 que firma los Open Badges y su JWKS público.

La semilla viene de ``CERTIFICADOS_CLAVE_ED25519`` (32 bytes en base64url). Si falta,
se deriva de ``SECRET_KEY`` con HKDF: es determinista, así que la demo, el worker y las
pruebas firman y verifican con la misma clave sin archivos; en producción se debe fijar
la variable, porque quien conozca ``SECRET_KEY`` podría firmar credenciales:
``manage.py check --deploy`` falla sin ella (verificacion/checks.py). El ``kid`` es
la huella RFC 7638 de la clave pública, así que rotar la clave cambia el ``kid``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings


def _b64url(datos: bytes) -> str:
    return base64.urlsafe_b64encode(datos).rstrip(b"=").decode()


def semilla_decodificar(texto: str) -> bytes:
    """Los 32 bytes de una semilla en base64url (con o sin relleno «=»).

    Estricta: un carácter fuera del alfabeto es un error, no se descarta en silencio.
    """
    texto = texto.strip()
    try:
        semilla = base64.b64decode(
            texto + "=" * (-len(texto) % 4), altchars=b"-_", validate=True
        )
    except (binascii.Error, ValueError) as exc:
        raise ValueError("CERTIFICADOS_CLAVE_ED25519 no es base64url válido") from exc
    if len(semilla) != 32:
        raise ValueError(
            f"CERTIFICADOS_CLAVE_ED25519 debe tener 32 bytes, tiene {len(semilla)}"
        )
    return semilla


def _semilla() -> bytes:
    configurada = settings.CERTIFICADOS_CLAVE_ED25519
    if configurada:
        return semilla_decodificar(configurada)
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"capacita-openbadges",
        info=b"ed25519-desarrollo",
    ).derive(settings.SECRET_KEY.encode())


@lru_cache(maxsize=4)
def _clave(semilla: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(semilla)


def clave_privada() -> Ed25519PrivateKey:
    return _clave(_semilla())


def jwk_publica() -> dict:
    publica = (
        clave_privada()
        .public_key()
        .public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw)
    )
    x = _b64url(publica)
    # Huella RFC 7638: miembros obligatorios en orden lexicográfico, sin espacios.
    canonica = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")
    )
    kid = _b64url(hashlib.sha256(canonica.encode()).digest())
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": kid,
        "use": "sig",
        "alg": "EdDSA",
    }


def jwks() -> dict:
    return {"keys": [jwk_publica()]}


def semilla_nueva() -> str:
    """Semilla nueva en base64url, para CERTIFICADOS_CLAVE_ED25519."""
    import secrets

    return _b64url(secrets.token_bytes(32))
