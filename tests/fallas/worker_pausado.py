"""App de Celery para la prueba del worker matado: solo para pruebas.

Con ``FALLAS_PAUSA_EN`` el hijo del pool se detiene en un punto conocido de la tarea
(escribe su pid en ``FALLAS_PAUSA_MARCA`` y duerme) para que la prueba lo mate con
SIGKILL justo ahí. La marca ya escrita hace que la reentrega corra sin pausa.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app"]


def _pausar() -> None:
    marca = Path(os.environ["FALLAS_PAUSA_MARCA"])
    if marca.exists():
        return
    marca.write_text(str(os.getpid()))
    time.sleep(120)


class _LibroPausado:
    """Escribe la mitad del xlsx, se detiene y después escribe el resto."""

    def __init__(self, libro) -> None:
        self.libro = libro

    def save(self, salida) -> None:
        memoria = io.BytesIO()
        self.libro.save(memoria)
        datos = memoria.getvalue()
        salida.write(datos[: len(datos) // 2])
        salida.flush()
        _pausar()
        salida.write(datos[len(datos) // 2 :])


@worker_process_init.connect
def _instalar_pausa(**kwargs) -> None:
    punto = os.environ.get("FALLAS_PAUSA_EN", "")
    if punto == "emitir":
        # Dentro de la transacción de certificado_emitir, con la inscripción bloqueada.
        from certificados import services

        original = services.codigo_generar

        def codigo_generar(*args, **kw):
            _pausar()
            return original(*args, **kw)

        services.codigo_generar = codigo_generar
    elif punto == "notificar":
        # El certificado ya está guardado (commit); falta el PDF y el correo.
        from certificados import services

        notificar = services.certificado_notificar

        def certificado_notificar(**kw):
            _pausar()
            return notificar(**kw)

        services.certificado_notificar = certificado_notificar
    elif punto == "exportar":
        from indicadores.exportaciones import ciclo as exportaciones

        construir = exportaciones._libro_construir

        def _libro_construir(*args, **kw):
            libro, filas = construir(*args, **kw)
            return _LibroPausado(libro), filas

        exportaciones._libro_construir = _libro_construir
