from .base import *  # noqa: F403
from .env import envstr

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
MEDIA_ROOT = BASE_DIR / ".data" / "media-test"  # noqa: F405
# Las pruebas corren las tareas en el mismo proceso; la prueba de integración
# con un worker real apaga este modo y usa CELERY_BROKER_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
