from __future__ import annotations

from config.celery import app

from .services import intentos_vencidos_cerrar


@app.task(name="capacita.evaluaciones.intentos_vencidos_cerrar")
def intentos_vencidos_cerrar_task() -> int:
    """Periódica (beat, en cada tenant): cierra intentos con el tiempo agotado."""
    return intentos_vencidos_cerrar()
