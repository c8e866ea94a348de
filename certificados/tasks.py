"""Tareas de certificados: reciben ids; el schema viaja en el header del mensaje."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.utils import translation

from config.celery import app
from content.trabajos import trabajo_fallar

from . import services

logger = logging.getLogger(__name__)


@app.task(
    name="capacita.certificados.emitir",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    max_retries=6,
)
def certificado_emitir_task(self, inscripcion_id: int) -> int:
    """Emite el certificado y envía el correo. Idempotente: una entrega duplicada o
    un reintento tras una caída a mitad de camino deja un certificado y un correo."""
    with translation.override("es-cl"):
        certificado, _creado = services.certificado_emitir(
            inscripcion_id=inscripcion_id
        )
        services.certificado_notificar(certificado_id=certificado.pk)
    return certificado.pk


@app.task(
    name="capacita.certificados.barrer", acks_late=True, reject_on_worker_lost=True
)
def certificados_barrer_task() -> int:
    with translation.override("es-cl"):
        return services.certificados_barrer()


@app.task(
    name="capacita.certificados.vencimientos",
    acks_late=True,
    reject_on_worker_lost=True,
)
def certificados_vencimientos_task() -> dict:
    # El aviso de vencimiento va en el resumen diario (capacita.avisos.diario).
    with translation.override("es-cl"):
        vencidos = services.certificados_vencer()
    return {"vencidos": vencidos}


@app.task(
    name="capacita.certificados.lote_zip_construir",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def lote_zip_construir_task(self, lote_id: int) -> int:
    from .models import LoteZip

    with translation.override("es-cl"):
        try:
            services.lote_zip_construir(lote_id=lote_id)
        except Exception:
            trabajo_fallar(LoteZip, lote_id)
            raise
    return lote_id


def certificado_encolar(inscripcion_id: int, schema_name: str) -> None:
    """Encola la emisión; si el broker no responde, el barrido la hará después."""
    try:
        certificado_emitir_task.apply_async(
            (inscripcion_id,), headers={"_schema_name": schema_name}
        )
    except Exception:
        # La completitud ya quedó guardada: el barrido periódico emitirá después.
        logger.exception(
            "No se pudo encolar el certificado de la inscripción %s", inscripcion_id
        )
