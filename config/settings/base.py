from __future__ import annotations

from pathlib import Path

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
# Puerto que se agrega a los enlaces entre sitios (vacío en producción detrás de 443).
CAPACITA_PUERTO = envstr("CAPACITA_PUERTO", "8000")

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
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "content",
    "cursos",
    "evaluaciones",
    "certificados",
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
# Sesión leída de la caché y escrita también en la base (sobrevive a un reinicio).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

MIDDLEWARE = [
    "tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
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
        BACKEND="django.core.cache.backends.redis.RedisCache",
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

WAGTAIL_SITE_NAME = "Capacita"
WAGTAILADMIN_BASE_URL = envstr("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("es-cl", "Español")]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "pptx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# Wagtail 8 encola trabajo en segundo plano con django-tasks; el backend inmediato
# se ejecuta en el mismo proceso y por eso conserva el schema del tenant.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "simple": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "simple"},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Las consultas SQL llevan parámetros (por ejemplo un RUT): nunca al log.
        "django.db.backends": {"level": "WARNING", "propagate": True},
        "django_tasks": {"level": "WARNING", "propagate": True},
        "wagtail": {"level": "WARNING", "propagate": True},
    },
}

# Certificados (issue 5). Enlaces del QR y del Open Badge al sitio público de la MITP.
CERTIFICADOS_URL_PUBLICA = envstr(
    "CERTIFICADOS_URL_PUBLICA",
    f"http://{CAPACITA_DOMINIO}" + (f":{CAPACITA_PUERTO}" if CAPACITA_PUERTO else ""),
)
# Semilla Ed25519 (32 bytes en base64url) que firma los Open Badges. Vacía: en
# desarrollo se deriva de SECRET_KEY (verificacion/claves.py); producción la exige.
CERTIFICADOS_CLAVE_ED25519 = envstr("CERTIFICADOS_CLAVE_ED25519", "")
# Verificación pública: consultas por IP por ventana (en segundos).
CERTIFICADOS_VERIFICACION_LIMITE = envint("CERTIFICADOS_VERIFICACION_LIMITE", 30)
CERTIFICADOS_VERIFICACION_VENTANA = envint("CERTIFICADOS_VERIFICACION_VENTANA", 60)
CERTIFICADOS_DIAS_AVISO = envint("CERTIFICADOS_DIAS_AVISO", 30)

# Indicadores (issue 6). La clave seudónima de cada persona es HMAC-SHA256 de su RUT
# con este secreto: cambiarlo rompe la deduplicación de los hechos ya escritos.
INDICADORES_CLAVE_PERSONA = envstr(
    "INDICADORES_CLAVE_PERSONA", "capacita-desarrollo-clave-persona-no-usar-en-prod"
)
# Exportaciones con más filas que esto se generan en una tarea de Celery.
INDICADORES_UMBRAL_TAREA = envint("INDICADORES_UMBRAL_TAREA", 5000)
# Fuera de MEDIA_ROOT: solo se descargan por la vista que verifica permisos.
INDICADORES_EXPORTACIONES_DIR = Path(
    envstr("INDICADORES_EXPORTACIONES_DIR", str(BASE_DIR / ".data" / "exportaciones"))
)

from .celery import *  # noqa: E402, F403
