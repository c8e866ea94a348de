"""Planillas xlsx: abrir las subidas con límites, leer sus filas, escribir sin fórmulas.

Las usan la importación del banco de preguntas (evaluaciones), la nómina y la
asistencia a jornadas (cursos). Un xlsx es un zip: su contenido se limita antes de
abrirlo (bombas zip, con las mismas reglas que un paquete H5P: ``lib/zips.py``) y se
abre con openpyxl en solo lectura.

Toda planilla que el producto escribe pasa sus filas por ``fila_segura`` (o sus celdas
por ``celda_segura``): un texto nunca se guarda como fórmula (DESIGN.md §6).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from .zips import MB, LimitesZip, ZipExcedido, zip_limites_revisar

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * MB
LIMITES_ZIP = LimitesZip(max_entradas=200, max_descomprimido=100 * MB, max_razon=200)


@dataclass
class ResultadoFilas:
    """Lo que devuelve una importación todo o nada: las filas con error (número y
    motivo) y sus valores originales, para que la planilla de errores repita la fila
    tal como vino. Cada importación agrega sus cuentas."""

    errores: list[tuple[int, str]] = field(default_factory=list)
    valores: dict[int, list[Any]] = field(default_factory=dict)

    def error_agregar(
        self, numero: int, mensaje: str, fila: Sequence[Any] | None = None
    ) -> None:
        self.errores.append((numero, mensaje))
        if fila is not None:
            self.valores[numero] = [texto_original(c) for c in fila]


@dataclass
class ResultadoImportacion(ResultadoFilas):
    creadas: int = 0
    actualizadas: int = 0

    @property
    def aplicadas(self) -> int:
        return self.creadas + self.actualizadas


def xlsx_abrir(archivo: Any) -> Any:
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
            zip_limites_revisar(zf.infolist(), LIMITES_ZIP)
        return load_workbook(BytesIO(datos), read_only=True, data_only=True)
    except ZipExcedido as exc:
        raise ValidationError(
            _("La planilla es demasiado grande una vez descomprimida."), code="zip"
        ) from exc
    except Exception as exc:
        raise error from exc


def planilla_validar_subida(archivo: Any) -> None:
    """Extensión y tamaño de una planilla subida por formulario (antes de leerla)."""
    if not archivo.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Suba un archivo con extensión .xlsx."))
    if archivo.size > MAX_BYTES:
        raise ValidationError(_("La planilla supera el máximo de 5 MB."))


def texto(valor: object) -> str:
    """El valor de una celda como texto sin espacios sobrantes ('' si está vacía)."""
    return "" if valor is None else str(valor).strip()


def filas_de_datos(
    hoja: Any, errores: list[tuple[int, str]], *, max_filas: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
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


# Con estos caracteres una planilla empieza una fórmula o un DDE (OWASP, «CSV
# Injection»): =, +, -, @, tabulación y retorno de carro. Se agregan sus formas de
# ancho completo (＝＋－＠), que algunas planillas convierten al editar la celda.
INICIOS_FORMULA = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def texto_riesgoso(valor: str) -> bool:
    """¿Una planilla podría leer este texto como fórmula (o como valor de error)?

    Se mira el primer carácter y también el primero tras el espacio inicial
    (espacios, saltos de línea, espacio duro): Excel y LibreOffice no ejecutan
    «  =1», pero ignoran ese espacio cuando alguien edita la celda y la confirma.
    Los códigos de error («#REF!», «#N/A»...) se protegen porque openpyxl los
    guardaría como celda de error y no como texto.
    """
    if not valor:
        return False
    if valor[0] in INICIOS_FORMULA:
        return True
    if valor[0].isspace() and valor.lstrip()[:1] in INICIOS_FORMULA:
        return True
    return valor in ERROR_CODES


def _proteger(celda: Cell) -> Cell:
    valor = celda.value
    if isinstance(valor, str) and texto_riesgoso(valor):
        # Texto (tipo "s", inlineStr) y no fórmula: openpyxl convierte en fórmula
        # todo str que empieza con «=». quotePrefix es el apóstrofo oculto de Excel:
        # la celda sigue siendo texto aunque alguien la edite. El valor no cambia.
        celda.data_type = "s"
        celda.quotePrefix = True
    return celda


def celda_segura(hoja: Any, valor: object) -> Cell:
    """Una celda para ``hoja`` (de solo escritura o normal) que nunca es fórmula.

    Los números y las fechas quedan tipados; el texto riesgoso queda como texto con
    el estilo quotePrefix, sin alterar el valor (el nombre de la persona se lee tal
    cual). Sirve para dar estilo (negrita, ajuste) a una celda antes de agregarla.
    """
    return _proteger(WriteOnlyCell(hoja, value=valor))


def fila_segura(hoja: Any, valores: Iterable[object]) -> list[object]:
    """La fila lista para ``hoja.append(...)``, sin fórmulas.

    Solo los textos riesgosos se convierten en celdas; los demás valores pasan tal
    cual (openpyxl los escribe con su tipo) y así una exportación grande no crea una
    celda por valor. Las celdas ya armadas (p. ej. con estilo) se revisan también.
    """
    fila: list[object] = []
    for valor in valores:
        if isinstance(valor, Cell):
            valor = _proteger(valor)
        elif isinstance(valor, str) and texto_riesgoso(valor):
            valor = celda_segura(hoja, valor)
        fila.append(valor)
    return fila


def texto_original(valor: Any) -> str | int | float | bool | None:
    """El valor de una celda tal como vino, apto para JSON (fechas como texto)."""
    if valor is None or isinstance(valor, (str, int, float, bool)):
        return valor
    return str(valor)


def errores_xlsx(
    errores: list[tuple[int, str]],
    *,
    columnas: Iterable[str] = (),
    valores: dict[Any, list[Any]] | None = None,
) -> bytes:
    """Informe de errores por fila, para descargar y corregir la planilla.

    Con ``columnas`` y ``valores`` repite cada fila con error con sus valores
    originales (sin fórmulas) y agrega la columna «Error» al final.
    """
    columnas = list(columnas)
    valores = valores or {}
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(_("Errores"))
    hoja.column_dimensions["A"].width = 8
    for i in range(len(columnas)):
        hoja.column_dimensions[get_column_letter(i + 2)].width = 18
    hoja.column_dimensions[get_column_letter(len(columnas) + 2)].width = 90
    hoja.freeze_panes = "A2"
    hoja.append(fila_segura(hoja, [_("Fila"), *columnas, _("Error")]))
    for numero, mensaje in errores:
        # Las claves pueden venir como texto si el resultado pasó por JSON.
        fila = list(valores.get(numero, valores.get(str(numero), [])))
        if columnas:
            fila = (fila + [None] * len(columnas))[: len(columnas)]
        else:
            fila = []
        hoja.append(fila_segura(hoja, [numero, *fila, mensaje]))
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def plantilla_xlsx(
    *,
    titulo: str,
    columnas: list[str],
    ejemplos: Iterable[Sequence[object]],
    anchos: Sequence[int] = (),
    instrucciones: Sequence[str] = (),
) -> bytes:
    """Plantilla para llenar y subir: encabezado congelado, filas de ejemplo y anchos;
    con ``instrucciones``, una segunda hoja «Instrucciones»."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = titulo
    hoja.append(fila_segura(hoja, columnas))
    for ejemplo in ejemplos:
        hoja.append(fila_segura(hoja, ejemplo))
    for i, ancho in enumerate(anchos, start=1):
        hoja.column_dimensions[get_column_letter(i)].width = ancho
    hoja.freeze_panes = "A2"
    if instrucciones:
        otra = libro.create_sheet("Instrucciones")
        for linea in instrucciones:
            otra.append(fila_segura(otra, [linea]))
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def xlsx_respuesta(contenido: bytes, nombre: str) -> HttpResponse:
    """Descarga de una planilla con su nombre de archivo."""
    respuesta = HttpResponse(contenido, content_type=XLSX)
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return respuesta
