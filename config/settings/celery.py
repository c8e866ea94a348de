from __future__ import annotations

from celery.schedules import crontab

from .env import envstr

CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "")
# Sin broker la demo ejecuta las tareas en el mismo proceso (DESIGN.md §2).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE", "capacita")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "America/Santiago"
# tenant-schemas-celery envía cada entrada a todos los tenants salvo que nombre
# sus schemas; el beat se inicia con su TenantAwareScheduler.
CELERY_BEAT_SCHEDULER = "tenant_schemas_celery.scheduler.TenantAwareScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    "intentos-vencidos": {
        "task": "capacita.evaluaciones.intentos_vencidos_cerrar",
        "schedule": 60.0,
    },
    # Emite los certificados de completitudes sin certificado (broker caído, etc.).
    "certificados-barrer": {
        "task": "capacita.certificados.barrer",
        "schedule": 600.0,
    },
    # Diario: marca de vencidos (el aviso previo va en el resumen de avisos).
    "certificados-vencimientos": {
        "task": "capacita.certificados.vencimientos",
        "schedule": 86400.0,
    },
    # Diario a las 8:00 de Chile: avisos de plazos y vencimientos y un solo resumen
    # por correo a cada persona (avisos/services.py).
    "avisos-diario": {
        "task": "capacita.avisos.diario",
        "schedule": crontab(hour=8, minute=0),
    },
    # Diario: borra de las importaciones viejas los valores de las filas con error.
    "importaciones-purgar": {
        "task": "capacita.content.importaciones_purgar",
        "schedule": 86400.0,
    },
    # Mantiene al día la tabla resumen del tablero MITP (las cifras viven en public).
    "indicadores-resumen": {
        "task": "capacita.indicadores.resumen_recalcular",
        "schedule": 300.0,
        "tenant_schemas": ["public"],
    },
}
