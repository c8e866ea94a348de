"""App de Celery consciente de tenants.

tenant-schemas-celery guarda el schema activo en un header del mensaje y lo vuelve a
activar en el worker antes de ejecutar la tarea (DESIGN.md §7), así una tarea encolada
dentro del tenant X corre en el schema de X.
"""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("capacita")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
