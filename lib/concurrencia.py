"""Crear una fila que otra petición simultánea pudo crear primero."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

T = TypeVar("T")


def crear_o_recuperar(
    crear: Callable[[], T], recuperar: Callable[[], T]
) -> tuple[T, bool]:
    """``(fila, True)`` si ``crear`` la creó; ``(recuperar(), False)`` si la
    restricción única de la base la rechazó porque otra petición ganó la carrera.

    ``crear`` corre en un savepoint: la transacción de quien llama sigue usable.
    """
    try:
        with transaction.atomic():
            return crear(), True
    except IntegrityError:
        return recuperar(), False
