"""Planillas xlsx subidas: abrirlas con límites, leer sus filas e informar errores.

Las usan la importación del banco de preguntas (evaluaciones), la nómina y la
asistencia a jornadas (cursos). Un xlsx es un zip: su contenido se limita antes de
abrirlo (bombas zip) y se abre con openpyxl en solo lectura.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRADAS_ZIP = 200
MAX_DESCOMPRIMIDO = 100 * 1024 * 1024
MAX_RAZON = 200


@dataclass
class ResultadoImportacion:
    creadas: int = 0
    actualizadas: int = 0
    errores: list[tuple[int, str]] = field(default_factory=list)

    @property
    def aplicadas(self) -> int:
        return self.creadas + self.actualizadas


def xlsx_abrir(archivo):
    """Abre un xlsx subido en solo lectura o lanza ValidationError en español."""
    error = ValidationError(
        _("El archivo no es una planilla xlsx válida."), code="xlsx"
    )
    nombre = getattr(archivo, "name", "") or ""
    if nombre and not nombre.lower().endswith(".xlsx"):
        raise ValidationError(
            _("Suba una planilla Excel con extensión .xlsx."), code="extension"
        )
    tamano = getattr(archivo, "size", None)
    if tamano is not None and tamano > MAX_BYTES:
        raise ValidationError(_("La planilla supera el máximo de 5 MB."), code="tamano")
    datos = archivo.read() if hasattr(archivo, "read") else bytes(archivo)
    try:
        with zipfile.ZipFile(BytesIO(datos)) as zf:
            entradas = zf.infolist()
            total = sum(e.file_size for e in entradas)
            comprimido = sum(e.compress_size for e in entradas) or 1
            if (
                len(entradas) > MAX_ENTRADAS_ZIP
                or total > MAX_DESCOMPRIMIDO
                or total / comprimido > MAX_RAZON
            ):
                raise ValidationError(
                    _("La planilla es demasiado grande una vez descomprimida."),
                    code="zip",
                )
        return load_workbook(BytesIO(datos), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as exc:
        raise error from exc


def texto(valor) -> str:
    """El valor de una celda como texto sin espacios sobrantes ('' si está vacía)."""
    return "" if valor is None else str(valor).strip()


def filas_de_datos(
    hoja, errores: list[tuple[int, str]], *, max_filas: int
) -> Iterator[tuple[int, tuple]]:
    """(número de fila, celdas) desde la fila 2, sin las vacías.

    Pasadas ``max_filas`` filas agrega el error a ``errores`` y termina.
    """
    for numero, fila in enumerate(hoja.iter_rows(min_row=2, values_only=True), start=2):
        if numero > max_filas + 1:
            errores.append(
                (numero, _("la planilla supera las %(n)s filas") % {"n": max_filas})
            )
            return
        if not fila or not any(c not in (None, "") for c in fila):
            continue
        yield numero, fila


def errores_xlsx(errores: list[tuple[int, str]]) -> bytes:
    """Informe de errores por fila, para descargar y corregir la planilla."""
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(_("Errores"))
    hoja.column_dimensions["A"].width = 8
    hoja.column_dimensions["B"].width = 90
    hoja.freeze_panes = "A2"
    hoja.append([_("Fila"), _("Error")])
    for numero, mensaje in errores:
        hoja.append([numero, mensaje])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()
