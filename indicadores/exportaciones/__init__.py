"""Exportaciones xlsx: ``ciclo`` (pedir, generar, guardar, auditar), ``filas`` (qué
se lee, lo mismo que el tablero) y ``libros`` (cómo se arma cada libro)."""

from ..metodologia import DEFINICION_CAPACITADO
from .ciclo import (
    exportacion_de_usuario,
    exportacion_generar,
    exportacion_pedir,
    exportacion_ruta,
)
from .filas import plan_datos, porcentaje_tabla, unidades_datos

__all__ = [
    "DEFINICION_CAPACITADO",
    "exportacion_de_usuario",
    "exportacion_generar",
    "exportacion_pedir",
    "exportacion_ruta",
    "plan_datos",
    "porcentaje_tabla",
    "unidades_datos",
]
