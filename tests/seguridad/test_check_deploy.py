"""`manage.py check --deploy` limpio con los settings de producción (DESIGN.md §6)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

RAIZ = Path(__file__).resolve().parents[2]


def entorno_produccion() -> dict[str, str]:
    """Las variables que exige config.settings.production, con valores de prueba."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": ".capacita.gob.cl",
        "CSRF_TRUSTED_ORIGINS": "https://capacita.gob.cl,https://*.capacita.gob.cl",
        # Semilla Ed25519 de 32 bytes en base64url (verificacion/claves.py).
        "CERTIFICADOS_CLAVE_ED25519": base64.urlsafe_b64encode(secrets.token_bytes(32))
        .rstrip(b"=")
        .decode(),
        "CERTIFICADOS_URL_PUBLICA": "https://capacita.gob.cl",
        "INDICADORES_CLAVE_PERSONA": secrets.token_urlsafe(48),
        "WAGTAILADMIN_BASE_URL": "https://capacita.gob.cl",
        "CAPACITA_DOMINIO": "capacita.gob.cl",
        "CAPACITA_PUERTO": "",
        # Caché compartida (tenants.E001); check --deploy no se conecta a Redis.
        "REDIS_CACHE_URL": "redis://127.0.0.1:6379/1",
    }


class CheckDeployTests(SimpleTestCase):
    def test_check_deploy_sin_advertencias_con_produccion(self):
        resultado = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
            cwd=RAIZ,
            env=entorno_produccion(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        salida = resultado.stdout + resultado.stderr
        self.assertEqual(resultado.returncode, 0, salida)
        self.assertIn("no issues (0 silenced)", salida)

    def test_produccion_exige_sus_secretos(self):
        entorno = entorno_produccion()
        del entorno["SECRET_KEY"]
        resultado = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy"],
            cwd=RAIZ,
            env=entorno,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(resultado.returncode, 0)
        self.assertIn("SECRET_KEY", resultado.stderr)

    def test_produccion_sin_cache_compartida_no_pasa_check_deploy(self):
        # Sin REDIS_CACHE_URL la caché es la de cada proceso: los límites de ingreso
        # se multiplican por los workers de gunicorn.
        entorno = entorno_produccion()
        del entorno["REDIS_CACHE_URL"]
        resultado = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy"],
            cwd=RAIZ,
            env=entorno,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(resultado.returncode, 0)
        self.assertIn("tenants.E001", resultado.stderr)
        self.assertIn("REDIS_CACHE_URL", resultado.stderr)
