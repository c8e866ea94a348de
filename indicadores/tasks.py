"""Tareas de Celery de indicadores (conscientes del tenant: tenant-schemas-celery)."""

from __future__ import annotations

from django.utils import translation

from config.celery import app

from .exportaciones import exportacion_generar


@app.task(name="indicadores.tasks.exportacion_generar_task")
def exportacion_generar_task(exportacion_id: int) -> None:
    # Sin request: el idioma se fija aquí (STYLE.md §1).
    with translation.override("es-cl"):
        exportacion_generar(exportacion_id=exportacion_id)
