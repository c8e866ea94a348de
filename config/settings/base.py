from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = envstr(
    "SECRET_KEY", "capacita-desarrollo-no-usar-en-produccion-0123456789"
)
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ".localhost,localhost,127.0.0.1")

# Dominio base del sitio público de la MITP; los tenants viven en <schema>.<dominio>.
CAPACITA_DOMINIO = envstr("CAPACITA_DOMINIO", "localhost")
# Puerto que se agrega a los enlaces absolutos (vacío en producción detrás de 443).
# `make run PORT=…` lo exporta igual a PORT; tenants/enlaces.py lo lee al armar cada
# enlace, nunca al cargar los settings.
CAPACITA_PUERTO = envstr("CAPACITA_PUERTO", "8000")
# Esquema de los enlaces absolutos (https en producción).
CAPACITA_ESQUEMA = envstr("CAPACITA_ESQUEMA", "http")

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "indicadores",
    "verificacion",
    # Sin modelos: crear_demo y los constructores de la demo (la capa más alta).
    "demo",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "content",
    "cursos",
    "evaluaciones",
    "certificados",
    "avisos",
    "privacidad",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # API para RR. HH. y SCIM (cursos/api/, DESIGN.md §8).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_scim",
]

INSTALLED_APPS = list(SHARED_APPS) + [
    app for app in TENANT_APPS if app not in SHARED_APPS
]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False

# Plantilla que se clona al crear un tenant (DESIGN.md §3 y §7).
TENANT_BASE_SCHEMA = "plantilla"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Un solo SET search_path por cambio de schema, no uno por cursor: la mitad de las
# consultas por página. django-tenants lo olvida ante un rollback, así que es seguro.
TENANT_LIMIT_SET_CALLS = True
# Tenant por host, Site de Wagtail y «¿hay restricciones de vista?» en caché (segundos).
# Las señales las invalidan en el proceso; con Redis como caché, en todos.
TENANT_CACHE_SEGUNDOS = envint("TENANT_CACHE_SEGUNDOS", 300)
# Ley 21.719: años sin ingresar tras los cuales una cuenta se anonimiza (0: nunca), si
# el tenant no fija otro valor en su política de retención (docs/privacidad.md).
CAPACITA_RETENCION_ANIOS = envint("CAPACITA_RETENCION_ANIOS", 0)
# Sesión leída de la caché y escrita también en la base (sobrevive a un reinicio).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

MIDDLEWARE = [
    # Primero: su process_exception corre al final y convierte la base caída en 503.
    "config.middleware.BaseDeDatosCaidaMiddleware",
    # El host de paquetes (si hay) no es de ningún tenant ni lleva sesión.
    "content.h5p.servicio.HostPaquetesMiddleware",
    "tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CSP y Permissions-Policy; antes de XFrameOptionsMiddleware para ver su cabecera.
    "config.seguridad.CabecerasSeguridadMiddleware",
    # Tope del cuerpo de cada petición por ruta: 413 sin leer una subida enorme.
    "config.seguridad.LimiteSubidaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "content.cache.SitioWagtailMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.tenant",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capacita"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Con la base caída, cada petición falla en segundos con un 503 (config/middleware.py).
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
    "DB_CONNECT_TIMEOUT", 3
)
# django-tenants, con la caché de ContentType por schema (tenants/contenttypes.py).
DATABASES["default"]["ENGINE"] = "tenants.postgresql_backend"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
if envstr("REDIS_CACHE_URL", ""):
    CACHES["default"].update(
        # RedisCache de Django con un solo cliente por pool (config/cache_redis.py).
        BACKEND="config.cache_redis.CacheRedis",
        LOCATION=envstr("REDIS_CACHE_URL"),
    )

_VALIDADORES = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDADORES}.{nombre}"}
    for nombre in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "ingresar"
# Las páginas con restricción «solo usuarios registrados» envían al mismo ingreso.
WAGTAIL_FRONTEND_LOGIN_URL = "/ingresar/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "es-cl"
LANGUAGES = [("es-cl", _("Español (Chile)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Santiago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Subidas (docs/security.md). Cada campo tiene su límite y su mensaje; además, el
# cuerpo entero de una petición tiene un tope por ruta (config/seguridad.py) que deja
# 1 MB de margen sobre el límite del campo para el resto del formulario.
_MB = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * _MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * _MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
H5P_MAX_BYTES = envint("H5P_MAX_BYTES", 50 * _MB)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * _MB
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * _MB
# Planillas xlsx, logos y fotos de perfil: 5 MB (lib/planillas.py).
SUBIDA_MAX_BYTES = 6 * _MB
SUBIDA_LIMITES_POR_RUTA = {
    "/admin/snippets/content/paqueteh5p/": H5P_MAX_BYTES + _MB,
    "/admin/images/": WAGTAILIMAGES_MAX_UPLOAD_SIZE + _MB,
    "/admin/documents/": WAGTAILDOCS_MAX_UPLOAD_SIZE + _MB,
}

# Correo (certificados, activación de cuentas). En producción, un SMTP institucional.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "Capacita <no-responder@capacita.gob.cl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Pedidos de enlace de activación o de contraseña por IP y schema
# (tenants/cuentas/clave.py).
CLAVE_MAX_SOLICITUDES = envint("CLAVE_MAX_SOLICITUDES", 5)
CLAVE_VENTANA_SEGUNDOS = envint("CLAVE_VENTANA_SEGUNDOS", 3600)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# Cabeceras de seguridad (docs/security.md). Activas también en desarrollo: así las
# pruebas de navegador (H5P, quiz) demuestran que la CSP no rompe las páginas.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-site"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), fullscreen=(self)"
)
# Videos incrustados en lecciones (EmbedBlock): solo estos orígenes.
CSP_VIDEOS = envlist(
    "CSP_VIDEOS",
    "https://www.youtube-nocookie.com,https://www.youtube.com,https://player.vimeo.com",
)
# Paquetes H5P (DESIGN.md §6, content/h5p/servicio.py, docs/operations.md). Su código
# corre en un iframe sandbox con origen opaco; la vista que sirve sus archivos revisa
# el tenant por host y carpeta. CAPACITA_X_ACCEL_PAQUETES: prefijo de la location
# interna de nginx que apunta a MEDIA_ROOT (vacío: Django entrega el archivo).
# CAPACITA_HOST_PAQUETES: host de contenido sin las cookies del tenant (vacío: los
# paquetes se sirven en el host de cada tenant).
CAPACITA_X_ACCEL_PAQUETES = envstr("CAPACITA_X_ACCEL_PAQUETES", "")
CAPACITA_HOST_PAQUETES = envstr("CAPACITA_HOST_PAQUETES", "")
_CSP_PAQUETES = (
    []
    if not CAPACITA_HOST_PAQUETES
    else [
        CAPACITA_HOST_PAQUETES
        if ":" in CAPACITA_HOST_PAQUETES
        else f"{CAPACITA_HOST_PAQUETES}:*"
    ]
)
# Sitio y lecciones. Los estilos en línea quedan (barras de avance); los scripts no:
# los propios en línea llevan el nonce. H5P ya no corre aquí: su iframe (frame-src
# 'self' o el host de paquetes) trae su propia CSP.
CSP_POLITICA = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "media-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *_CSP_PAQUETES, *CSP_VIDEOS],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Admin de Wagtail y de Django: Wagtail 8 aún tiene scripts en línea (widgets de
# fecha, paneles) y su verificador de accesibilidad compila plantillas con new Function.
CSP_PREFIJOS_ADMIN = ["/admin/", "/django-admin/"]
CSP_POLITICA_ADMIN = {
    **CSP_POLITICA,
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
}

# Límite de ingresos fallidos por usuario e IP y por schema
# (tenants/cuentas/ingreso.py).
INGRESO_MAX_FALLOS = envint("INGRESO_MAX_FALLOS", 5)
INGRESO_VENTANA_SEGUNDOS = envint("INGRESO_VENTANA_SEGUNDOS", 15 * 60)
# Detrás de un proxy: la cabecera con la IP real que ese proxy fija (HTTP_X_REAL_IP).
INGRESO_CABECERA_IP = envstr("INGRESO_CABECERA_IP", "")
WAGTAILADMIN_USER_LOGIN_FORM = "tenants.cuentas.ingreso.FormularioIngresoAdmin"
# Contraseña con usuario, correo o RUT; después, ClaveÚnica (tenants/cuentas/).
AUTHENTICATION_BACKENDS = [
    "tenants.cuentas.identificacion.IngresoBackend",
    "tenants.cuentas.claveunica.ClaveUnicaBackend",
]

# ClaveÚnica (OpenID Connect; tenants/cuentas/claveunica.py, docs/operations.md).
# Globales CLAVEUNICA_<CAMPO> y, por tenant, CLAVEUNICA_<SCHEMA>_<CAMPO> (p. ej.
# CLAVEUNICA_ALFA_CLIENT_ID), que reemplazan a las globales aunque vengan vacías. Sin
# CLIENT_ID y CLIENT_SECRET el botón no aparece. Los secretos, solo en el entorno.
_CLAVEUNICA_CAMPOS = {
    "CLIENT_ID": "",
    "CLIENT_SECRET": "",
    "ISSUER": "https://accounts.claveunica.gob.cl/openid",
    "SIGN_ALGO": "RS256",
    "LOGOUT_URL": "",
}
CLAVEUNICA = {c: envstr(f"CLAVEUNICA_{c}", v) for c, v in _CLAVEUNICA_CAMPOS.items()}
CLAVEUNICA_POR_SCHEMA: dict[str, dict[str, str]] = {}
_CLAVEUNICA_RE = re.compile(rf"CLAVEUNICA_(\w+?)_({'|'.join(_CLAVEUNICA_CAMPOS)})")
for _nombre, _valor in os.environ.items():
    _partes = _CLAVEUNICA_RE.fullmatch(_nombre)
    if _partes:
        _schema, _campo = _partes.group(1).lower(), _partes.group(2)
        CLAVEUNICA_POR_SCHEMA.setdefault(_schema, {})[_campo] = _valor
CLAVEUNICA_DESCUBRIMIENTO_SEGUNDOS = envint("CLAVEUNICA_DESCUBRIMIENTO_SEGUNDOS", 3600)
# Desfase de reloj tolerado al validar exp/iat del id_token.
CLAVEUNICA_TOLERANCIA_SEGUNDOS = envint("CLAVEUNICA_TOLERANCIA_SEGUNDOS", 60)
# mozilla-django-oidc: lo común a todos los tenants. El cliente y los endpoints de
# cada uno los pone tenants/cuentas/claveunica.py; nunca crea cuentas.
OIDC_RP_SCOPES = "openid run name"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_CREATE_USER = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_TIMEOUT = envint("CLAVEUNICA_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "claveunica_retorno"
OIDC_OP_LOGOUT_URL_METHOD = "tenants.cuentas.claveunica.url_salida_proveedor"
# «Salir» es un formulario que, tras un ingreso con ClaveÚnica, redirige al cierre de
# sesión del proveedor: su origen debe estar en form-action (Chromium aplica la
# directiva también a las redirecciones). Solo si algún tenant tiene cliente.
_CLAVEUNICA_TODAS = [CLAVEUNICA, *CLAVEUNICA_POR_SCHEMA.values()]
if any(c.get("CLIENT_ID", CLAVEUNICA["CLIENT_ID"]) for c in _CLAVEUNICA_TODAS):
    _origenes = {
        "://".join(urlsplit(c[campo])[:2])
        for c in _CLAVEUNICA_TODAS
        for campo in ("ISSUER", "LOGOUT_URL")
        if c.get(campo)
    }
    CSP_POLITICA["form-action"] = [*CSP_POLITICA["form-action"], *sorted(_origenes)]

WAGTAIL_SITE_NAME = "Capacita"
# Solo para el schema public: en un tenant, los enlaces del admin que Wagtail arma sin
# petición (avisos de moderación) van al host del tenant (tenants/enlaces.py). Vacía,
# se arma con CAPACITA_DOMINIO y CAPACITA_PUERTO.
WAGTAILADMIN_BASE_URL = envstr("WAGTAILADMIN_BASE_URL", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("es-cl", "Español")]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "pptx", "txt"]
# Sin Gravatar: no enviar el correo (su hash) de los usuarios a un tercero.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# Wagtail 8 encola trabajo en segundo plano con django-tasks; el backend inmediato
# se ejecuta en el mismo proceso y por eso conserva el schema del tenant.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # [schema] dice de qué institución es cada línea (public fuera de un tenant).
        "simple": {
            "format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s %(message)s"
        },
    },
    "filters": {
        # TenantContextFilter de django-tenants: el schema de la conexión activa (el
        # tenant de la petición, o el de la tarea, que tenant-schemas-celery activa).
        "tenant_context": {"()": "config.bitacora.ContextoTenantFilter"},
        "sin_rut": {"()": "config.bitacora.SinRutFilter"},
    },
    "handlers": {
        # Tacha cualquier RUT que llegue (un error de la base, una traza).
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "simple",
            "filters": ["tenant_context", "sin_rut"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Las consultas SQL llevan parámetros (por ejemplo un RUT): nunca al log.
        "django.db.backends": {"level": "WARNING", "propagate": True},
        "django_tasks": {"level": "WARNING", "propagate": True},
        "wagtail": {"level": "WARNING", "propagate": True},
    },
}

# Certificados. Enlaces del QR y del Open Badge al sitio público de la MITP.
# Vacía: se arma al momento con CAPACITA_DOMINIO y CAPACITA_PUERTO
# (tenants/enlaces.py: url_publica).
CERTIFICADOS_URL_PUBLICA = envstr("CERTIFICADOS_URL_PUBLICA", "")
# Semilla Ed25519 (32 bytes en base64url) que firma los Open Badges. Vacía: en
# desarrollo se deriva de SECRET_KEY (verificacion/claves.py); producción la exige.
CERTIFICADOS_CLAVE_ED25519 = envstr("CERTIFICADOS_CLAVE_ED25519", "")
# Verificación pública: consultas por IP por ventana (en segundos).
CERTIFICADOS_VERIFICACION_LIMITE = envint("CERTIFICADOS_VERIFICACION_LIMITE", 30)
CERTIFICADOS_VERIFICACION_VENTANA = envint("CERTIFICADOS_VERIFICACION_VENTANA", 60)
CERTIFICADOS_DIAS_AVISO = envint("CERTIFICADOS_DIAS_AVISO", 30)

# Indicadores. La clave seudónima de cada persona es HMAC-SHA256 de su RUT
# con este secreto: cambiarlo rompe la deduplicación de los hechos ya escritos.
INDICADORES_CLAVE_PERSONA = envstr(
    "INDICADORES_CLAVE_PERSONA", "capacita-desarrollo-clave-persona-no-usar-en-prod"
)
# Días que se guardan los valores de las filas con error de una importación (pueden
# traer RUT) y la planilla subida; después los borra content.importaciones_purgar.
IMPORTACIONES_RETENCION_DIAS = envint("IMPORTACIONES_RETENCION_DIAS", 30)
# Exportaciones con más filas que esto se generan en una tarea de Celery.
INDICADORES_UMBRAL_TAREA = envint("INDICADORES_UMBRAL_TAREA", 5000)
# Fuera de MEDIA_ROOT: solo se descargan por la vista que verifica permisos.
INDICADORES_EXPORTACIONES_DIR = Path(
    envstr("INDICADORES_EXPORTACIONES_DIR", str(BASE_DIR / ".data" / "exportaciones"))
)
# Archivos con datos personales (lotes ZIP de certificados): fuera de MEDIA_ROOT, por
# schema y con nombres uuid4; solo los entregan vistas que revisan rol y tenant
# (tenants/archivos.py, docs/security.md «Archivos privados»).
ARCHIVOS_PRIVADOS_DIR = Path(
    envstr("ARCHIVOS_PRIVADOS_DIR", str(BASE_DIR / ".data" / "privados"))
)
# Detrás de nginx: la vista revisa y nginx entrega el archivo desde una location
# «internal» (X-Accel-Redirect, docs/operations.md). Apagado: lo entrega Django.
ARCHIVOS_X_ACCEL = envbool("ARCHIVOS_X_ACCEL", False)
ARCHIVOS_X_ACCEL_MEDIA = "/_interno/media/"
ARCHIVOS_X_ACCEL_PRIVADOS = "/_interno/privados/"

# API para sistemas de RR. HH. y SCIM 2.0 (cursos/api/, docs/api.md). Los tokens
# autentican con «Authorization: Bearer»; nada de sesiones ni CSRF en /api/.
# Solo el esquema: autenticación, permisos, límites, formatos y errores van en la
# clase base de las vistas de cursos/api/ (views.VistaAPI). Como defaults globales
# cambiarían también la API interna del admin de Wagtail, que usa DRF con sesión.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
# Solicitudes por token (o por IP sin token) en la caché compartida.
API_LIMITE = envstr("API_LIMITE", "1200/min")
# Personas, RUT o dotaciones por solicitud.
API_MAX_LOTE = envint("API_MAX_LOTE", 1000)
# Cuánto se recuerda una Idempotency-Key (segundos).
API_IDEMPOTENCIA_SEGUNDOS = envint("API_IDEMPOTENCIA_SEGUNDOS", 24 * 3600)
SPECTACULAR_SETTINGS = {
    "TITLE": "Capacita · API para sistemas de RR. HH.",
    "DESCRIPTION": (
        "Sincronización de nómina, unidades, dotación, inscripciones, avance y "
        "certificados de una institución. Errores en formato problem+json "
        "(RFC 9457). Guía con curl: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI desde los estáticos propios (sidecar), sin CDN: la CSP lo exige.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Solo /api/v1/: la API interna del admin de Wagtail no se documenta.
    "PREPROCESSING_HOOKS": ["cursos.api.views.solo_api_v1"],
}
SCIM_SERVICE_PROVIDER = {
    "NETLOC": CAPACITA_DOMINIO,
    "USER_ADAPTER": "cursos.api.scim.UsuarioSCIM",
    "AUTH_CHECK_MIDDLEWARE": "cursos.api.scim.AutenticacionSCIM",
    "BASE_LOCATION_GETTER": "cursos.api.scim.ubicacion_base",
    "GET_EXTRA_MODEL_FILTER_KWARGS_GETTER": "cursos.api.scim.filtro_institucion",
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer",
            "description": "Token de la API creado por la encargada o el encargado.",
            "primary": True,
        }
    ],
}

from .celery import *  # noqa: E402, F403
