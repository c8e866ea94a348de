"""Tareas de Celery de content (conscientes del tenant: tenant-schemas-celery)."""

from __future__ import annotations

from django.utils import translation

from config.celery import app


@app.task(name="capacita.content.importacion_ejecutar")
def importacion_ejecutar_task(importacion_id: int) -> None:
    from .trabajos import importacion_ejecutar

    # Sin request: el idioma se fija aquí (STYLE.md §1).
    with translation.override("es-cl"):
        importacion_ejecutar(importacion_id=importacion_id)


@app.task(name="capacita.content.importaciones_purgar")
def importaciones_purgar_task() -> int:
    """Diaria, en cada tenant: borra los valores de las filas con error (pueden traer
    RUT) y las planillas subidas de las importaciones más viejas que la retención."""
    from django.conf import settings

    from .trabajos import importaciones_purgar

    return importaciones_purgar(dias=settings.IMPORTACIONES_RETENCION_DIAS)
