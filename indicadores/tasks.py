"""Tareas de Celery de indicadores (conscientes del tenant: tenant-schemas-celery)."""

from __future__ import annotations

from django.utils import translation

from config.celery import app

from .exportaciones import exportacion_generar


@app.task(name="capacita.indicadores.exportacion_generar")
def exportacion_generar_task(exportacion_id: int) -> None:
    # Sin request: el idioma se fija aquí (STYLE.md §1).
    with translation.override("es-cl"):
        exportacion_generar(exportacion_id=exportacion_id)


@app.task(name="capacita.indicadores.resumen_recalcular")
def resumen_recalcular_task() -> None:
    # Las cifras nacionales viven en public: la tarea no depende del tenant que la
    # encoló (resumen_recalcular entra a public por su cuenta).
    from .resumen import resumen_recalcular, resumen_vigente

    # El beat la llama cada 5 minutos: sin hechos ni metas nuevos, nada que contar.
    if not resumen_vigente():
        resumen_recalcular()
