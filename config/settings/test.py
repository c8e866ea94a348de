import os
import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .env import envstr

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Un worker real es otro proceso y no comparte la bandeja locmem: la prueba que lo
# levanta le pide el backend de archivos (tests/avisos/test_avisos_worker.py).
EMAIL_BACKEND = envstr(
    "PRUEBAS_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Una carpeta temporal por corrida para todo lo que las pruebas escriben (media,
# lotes ZIP privados, exportaciones, evidencias, y todo tempfile.mkdtemp):
# tests/conftest.py la crea al empezar, apunta ahí TMPDIR y la borra al terminar.
# Viaja en el entorno, así el worker, runserver o gunicorn que levantan las pruebas
# escriben en la misma. Aquí solo se nombra: `manage.py` con estos ajustes no crea nada.
PRUEBAS_TMP = Path(
    os.environ.setdefault(
        "CAPACITA_PRUEBAS_TMP",
        str(Path(tempfile.gettempdir()) / f"capacita-pruebas-{uuid.uuid4().hex[:12]}"),
    )
)
MEDIA_ROOT = PRUEBAS_TMP / "media"
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(PRUEBAS_TMP / "correos"))
# Como en base.py, la variable de entorno manda: así una prueba dirige al worker que
# levanta a su propia carpeta (tests/indicadores/test_exportacion_worker.py).
ARCHIVOS_PRIVADOS_DIR = Path(
    envstr("ARCHIVOS_PRIVADOS_DIR", str(PRUEBAS_TMP / "privados"))
)
# Las evidencias de metas manuales van al lado: PRUEBAS_TMP / "evidencias".
INDICADORES_EXPORTACIONES_DIR = Path(
    envstr("INDICADORES_EXPORTACIONES_DIR", str(PRUEBAS_TMP / "exportaciones"))
)
# Las pruebas corren las tareas en el mismo proceso; la prueba de integración
# con un worker real apaga este modo y usa CELERY_BROKER_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")

# Todo lo que se registra durante la suite queda también en un archivo: la última
# prueba (tests/seguridad/test_bitacora_sin_rut.py) lo revisa buscando RUT.
# tests/conftest.py lo vacía al comenzar la sesión.
BITACORA_PRUEBAS = BASE_DIR / ".data" / "logs" / "pruebas.log"  # noqa: F405
BITACORA_PRUEBAS.parent.mkdir(parents=True, exist_ok=True)
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "archivo_pruebas": {
            "class": "logging.FileHandler",
            "filename": str(BITACORA_PRUEBAS),
            "formatter": "simple",
            "filters": ["tenant_context"],
            "encoding": "utf-8",
        },
    },
    "root": {
        **LOGGING["root"],  # noqa: F405
        # Primero y sin el filtro sin_rut: ve cada registro tal como lo escribió el
        # código, antes de que el filtro de la consola lo tache.
        "handlers": ["archivo_pruebas", *LOGGING["root"]["handlers"]],  # noqa: F405
    },
}
