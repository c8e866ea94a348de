"""Conecta las señales de cursos con los avisos (la regla está en services)."""

from __future__ import annotations

from typing import Any

from . import services


def inscripcion_asignada_avisar(
    sender: Any, inscripcion: Any, motivo: str, **kwargs: Any
) -> None:
    # En la misma transacción que la inscripción: si se revierte, no queda aviso.
    services.aviso_inscripcion_crear(inscripcion=inscripcion, motivo=motivo)
