from .base import *  # noqa: F403
from .env import envbool, envint, envlist, envsecret, envstr

DEBUG = False
SECRET_KEY = envsecret("SECRET_KEY")
# Sin valor de desarrollo: la clave seudónima de las personas y la firma de los
# Open Badges no pueden derivarse ni quedar con el valor de ejemplo (ver checks.py de
# indicadores y verificacion, que lo revisan también en `check --deploy`).
INDICADORES_CLAVE_PERSONA = envsecret("INDICADORES_CLAVE_PERSONA")
CERTIFICADOS_CLAVE_ED25519 = envstr("CERTIFICADOS_CLAVE_ED25519")
# La caché «default» viene de base (REDIS_CACHE_URL). En producción debe ser Redis:
# sin ella los límites de ingreso y la invalidación de tenants serían por proceso, y
# `check --deploy` falla con tenants.E001 (tenants/checks.py).
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Enlaces absolutos (correos, QR, avisos del admin) en https (tenants/enlaces.py).
CAPACITA_ESQUEMA = envstr("CAPACITA_ESQUEMA", "https")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
# El chequeo de salud del balanceador llega por HTTP interno (docs/operations.md).
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Las demás cabeceras (CSP, X-Frame-Options DENY, nosniff, Referrer-Policy,
# Permissions-Policy) vienen de base: rigen también en desarrollo y en las pruebas.
CSP_POLITICA = {**CSP_POLITICA, "upgrade-insecure-requests": []}  # noqa: F405
CSP_POLITICA_ADMIN = {**CSP_POLITICA_ADMIN, "upgrade-insecure-requests": []}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
