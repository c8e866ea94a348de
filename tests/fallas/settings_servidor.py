"""Ajustes de los procesos (gunicorn, Celery) que levantan las pruebas de fallas.

Los de prueba, pero con un broker real en vez del modo eager, y el barrido de
certificados cada 2 s para no esperar los 10 minutos de producción.
"""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE = {
    "certificados-barrer": {
        "task": "capacita.certificados.barrer",
        "schedule": 2.0,
    },
}
