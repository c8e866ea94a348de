"""Los libros xlsx de cada exportación: funciones puras que arman sus hojas.

Las hojas se escriben con ``lib/libros.py`` (encabezado en negrita, autofiltro, celdas
tipadas y sin fórmulas).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lib.libros import hoja_escribir, hoja_texto

COLUMNAS_NOMINA = [
    ("RUT", 13),
    ("Apellidos", 22),
    ("Nombres", 20),
    ("Institución", 28),
    ("Unidad", 28),
    ("Región", 18),
    ("Sexo", 12),
    ("Curso", 40),
    ("Ciclo", 7),
    ("Estado", 14),
    ("Inscrito el", 12),
    ("Completado el", 14),
]


COLUMNAS_JORNADAS = [
    ("RUT", 13),
    ("Apellidos", 22),
    ("Nombres", 20),
    ("Institución", 28),
    ("Unidad", 28),
    ("Jornada", 40),
    ("Fecha", 12),
    ("Acción del Plan", 16),
    ("Modalidad", 18),
]


def columnas_personas(anio: int) -> list[tuple[str, int]]:
    return [
        ("RUT", 13),
        ("Apellidos", 22),
        ("Nombres", 20),
        ("Institución", 28),
        ("Unidad", 28),
        ("Región", 18),
        ("Sexo", 12),
        (f"Capacitado en {anio}", 14),
        ("En el % (unidad con dotación)", 16),
        ("Sin dotación informada", 14),
        (f"Cursos completados en {anio}", 14),
        (f"Jornadas asistidas en {anio}", 14),
        ("Certificado vigente hoy", 14),
    ]


def nomina_libro(
    *,
    personas: Iterable[list],
    inscripciones: Iterable[list],
    jornadas: Iterable[list],
    anio: int,
    al_avanzar=None,
) -> tuple[Workbook, int]:
    """Tres hojas: «Personas» (una fila por persona; sus «Sí» en «Capacitado en …»
    suman la cifra del tablero), «Nómina» (una por inscripción) y «Jornadas» (una por
    asistencia)."""
    libro = Workbook(write_only=True)
    hechas = 0

    def avance(n: int) -> None:
        if al_avanzar is not None:
            al_avanzar(hechas + n)

    for titulo, columnas, filas in (
        (_("Personas"), columnas_personas(anio), personas),
        (_("Nómina"), COLUMNAS_NOMINA, inscripciones),
        (_("Jornadas"), COLUMNAS_JORNADAS, jornadas),
    ):
        hechas += hoja_escribir(libro, titulo, columnas, filas, al_avanzar=avance)
    return libro, hechas


COLUMNAS_UNIDADES = [
    ("Institución", 28),
    ("Unidad", 30),
    ("Año", 7),
    ("Dotación", 10),
    ("Dotación mujeres", 10),
    ("Dotación hombres", 10),
    ("Capacitados", 12),
    ("Capacitadas mujeres", 12),
    ("Capacitados hombres", 12),
    ("% capacitado", 12),
]


def unidades_libro(
    filas: list[dict], *, anio: int, total: dict
) -> tuple[Workbook, int]:
    libro = Workbook(write_only=True)

    def datos():
        for f in filas:
            yield [
                f["institucion"],
                f["unidad"],
                anio,
                f["dotacion"],
                f["dotacion_femenino"],
                f["dotacion_masculino"],
                f["capacitados"],
                f["capacitadas_mujeres"],
                f["capacitados_hombres"],
                f["porcentaje"],
            ]
        # El total cuenta personas distintas: no es la suma de las unidades. Solo
        # unidades con dotación (la misma población arriba y abajo del %).
        yield [
            _("Total (unidades con dotación, personas distintas)"),
            "",
            anio,
            total["dotacion"],
            None,
            None,
            total["capacitados"],
            None,
            None,
            total["porcentaje"],
        ]
        yield [
            _("Sin dotación informada (fuera del %)"),
            "",
            anio,
            None,
            None,
            None,
            total.get("sin_dotacion", 0),
            None,
            None,
            None,
        ]

    n = hoja_escribir(libro, _("% por unidad"), COLUMNAS_UNIDADES, datos())
    return libro, n


COLUMNAS_CERTIFICADOS = [
    ("Código", 20),
    ("Titular", 32),
    ("Unidad", 28),
    ("Curso", 40),
    ("Ciclo", 7),
    ("Horas", 8),
    ("Emitido el", 12),
    ("Vence el", 12),
    ("Estado", 12),
]


def certificados_libro(filas: Iterable[list], *, al_avanzar=None):
    libro = Workbook(write_only=True)
    n = hoja_escribir(
        libro, _("Certificados"), COLUMNAS_CERTIFICADOS, filas, al_avanzar=al_avanzar
    )
    return libro, n


COLUMNAS_RESUMEN = [
    ("Acción", 10),
    ("Eje", 6),
    ("Indicador de resultado", 60),
    ("Año", 7),
    ("Unidad de la meta", 20),
    ("Meta", 8),
    ("Logrado", 9),
    ("% de avance", 11),
    ("Estado", 13),
    ("Se cuenta desde", 14),
    ("Plazo", 12),
]

COLUMNAS_DESGLOSE = [
    ("Año", 7),
    ("Dimensión", 14),
    ("Categoría", 40),
    ("Funcionarios capacitados", 14),
    ("Capacitaciones implementadas", 14),
    ("Instituciones capacitadas", 14),
    ("Complejos capacitados", 14),
]


COLUMNAS_PORCENTAJE = [
    ("Año", 7),
    ("Dimensión", 22),
    ("Categoría", 48),
    ("Dotación", 12),
    ("Capacitados", 12),
    ("% capacitado", 12),
]


def plan_libro(
    *,
    resumen: list[list],
    desgloses: dict[str, list[list]],
    metodologia: list[tuple[str, str]],
    porcentajes: list[list] | None = None,
) -> tuple[Workbook, int]:
    libro = Workbook(write_only=True)
    n = hoja_escribir(libro, "Resumen", COLUMNAS_RESUMEN, resumen)
    if porcentajes is not None:
        n += hoja_escribir(libro, "% capacitado", COLUMNAS_PORCENTAJE, porcentajes)
    for codigo, filas in desgloses.items():
        n += hoja_escribir(libro, codigo, COLUMNAS_DESGLOSE, filas)
    hoja_texto(libro, "Metodología", metodologia)
    return libro, n
