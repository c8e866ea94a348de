from __future__ import annotations

from config.celery import app

from .services import auditoria_registrar


@app.task(name="capacita.content.auditoria_registrar")
def auditoria_registrar_task(usuario_id: int | None, accion: str, detalle: dict) -> int:
    """Registra una acción en la bitácora del tenant desde el que se encoló."""
    return auditoria_registrar(usuario_id=usuario_id, accion=accion, detalle=detalle).pk
