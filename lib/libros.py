"""Libros xlsx que el producto escribe (openpyxl ``write_only``), sin fórmulas.

Cada hoja lleva encabezado en negrita, fila congelada, autofiltro y anchos fijos; las
celdas van tipadas (números como números, fechas como fechas). Toda fila pasa por
``lib.planillas.fila_segura``: un nombre que empieza con «=» no es una fórmula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .planillas import celda_segura, fila_segura

NEGRITA = Font(bold=True)
AJUSTE = Alignment(wrap_text=True, vertical="top")


def hoja_escribir(
    libro: Workbook,
    titulo: str,
    columnas: list[tuple[str, int]],
    filas: Iterable[Iterable[object]],
    *,
    al_avanzar: Callable[[int], None] | None = None,
    cada: int = 2000,
) -> int:
    """Escribe una hoja tabular y devuelve cuántas filas de datos escribió."""
    hoja = libro.create_sheet(titulo[:31])
    for i, (_nombre, ancho) in enumerate(columnas, start=1):
        hoja.column_dimensions[get_column_letter(i)].width = ancho
    hoja.freeze_panes = "A2"
    encabezado = []
    for nombre, _ancho in columnas:
        celda = celda_segura(hoja, nombre)
        celda.font = NEGRITA
        encabezado.append(celda)
    hoja.append(encabezado)
    n = 0
    for fila in filas:
        hoja.append(fila_segura(hoja, fila))
        n += 1
        if al_avanzar is not None and n % cada == 0:
            al_avanzar(n)
    ultima = get_column_letter(len(columnas))
    hoja.auto_filter.ref = f"A1:{ultima}{n + 1}"
    return n


def hoja_texto(libro: Workbook, titulo: str, filas: list[tuple[str, str]]) -> None:
    hoja = libro.create_sheet(titulo[:31])
    hoja.column_dimensions["A"].width = 32
    hoja.column_dimensions["B"].width = 110
    for clave, valor in filas:
        a = celda_segura(hoja, clave)
        a.font = NEGRITA
        b = celda_segura(hoja, valor)
        b.alignment = AJUSTE
        hoja.append([a, b])
