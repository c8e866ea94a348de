"""App de Celery consciente de tenants.

tenant-schemas-celery guarda el schema activo en un header del mensaje y lo vuelve a
activar en el worker antes de ejecutar la tarea (DESIGN.md §7), así una tarea encolada
dentro del tenant X corre en el schema de X.

Los nombres de las tareas están fijados en cada ``@app.task(name="capacita.…")``: un
mensaje en la cola guarda ese nombre, y mover un módulo no debe cambiarlo
(tests/config/test_tareas_nombres.py).
"""

from __future__ import annotations

import logging
import os
from logging.config import dictConfig

from celery.signals import setup_logging
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("capacita")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def bitacora_configurar(loglevel=None, **_kwargs) -> None:
    """El worker y el beat usan el LOGGING de Django, no el formato propio de Celery.

    Sin este receptor Celery se adueña del logger raíz y quita sus manejadores: las
    líneas del worker perderían el schema del tenant y el filtro que tacha RUT.
    ``--loglevel`` sigue fijando el nivel.
    """
    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
