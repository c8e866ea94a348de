"""Tareas de avisos. El beat (TenantAwareScheduler) las envía una vez por tenant, con
el schema en la cabecera del mensaje: cada corrida ve solo los datos de su tenant."""

from __future__ import annotations

from django.utils import translation

from config.celery import app

from . import services


@app.task(name="capacita.avisos.diario", acks_late=True, reject_on_worker_lost=True)
def avisos_diario_task() -> dict[str, int]:
    """Plazos por vencer, certificados por vencer y el resumen del día por correo."""
    with translation.override("es-cl"):
        return services.avisos_diario().como_dict()
