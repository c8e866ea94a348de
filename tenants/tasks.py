"""Tareas de tenants: reciben ids; el schema viaja en el header del mensaje
(tenant-schemas-celery, config/celery.py)."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import translation

from config.celery import app

from .cuentas import clave

logger = logging.getLogger(__name__)


@app.task(
    name="capacita.tenants.invitaciones_enviar",
    acks_late=True,
    reject_on_worker_lost=True,
)
def invitaciones_enviar_task(unidad_id: int, url_base: str = "") -> int:
    # Sin request: el idioma se fija aquí (STYLE.md §1).
    with translation.override("es-cl"):
        return clave.invitaciones_enviar(unidad_id=unidad_id, url_base=url_base)


def invitaciones_encolar(*, unidad_id: int, url_base: str = "") -> None:
    """Encola las invitaciones de una unidad al confirmar la transacción."""
    schema_name = connection.schema_name

    def encolar():
        try:
            invitaciones_enviar_task.apply_async(
                (unidad_id, url_base), headers={"_schema_name": schema_name}
            )
        except Exception:
            logger.exception(
                "No se pudieron encolar las invitaciones de la unidad %s", unidad_id
            )

    transaction.on_commit(encolar)
