"""Jornadas (capacitaciones presenciales o en línea sincrónicas) y su asistencia.

Regla de «capacitado» por asistencia: una persona queda capacitada por una jornada
cuando tiene una ``Asistencia`` registrada, sea porque marcó con el QR dentro de la
ventana de la jornada (desde 30 minutos antes del inicio hasta el término) o porque la
encargada la cargó desde la planilla de asistencia. No hay asistencia parcial. Cada
asistencia escribe un hecho nacional en la misma transacción.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.trabajos import importable
from lib import planillas
from lib.concurrencia import crear_o_recuperar
from lib.planillas import ResultadoFilas, filas_de_datos, xlsx_abrir
from lib.rut import rut_normalizar

from ..models import Asistencia, Jornada, Perfil
from ..signals import asistencia_registrada
from .nomina import MAX_FILAS

COLUMNAS_ASISTENCIA = ["RUT", "Nombre (opcional)"]


@transaction.atomic
def jornada_guardar(*, jornada: Jornada, creada_por: User | None = None) -> Jornada:
    if not jornada.tema and not jornada.curso_id:
        raise ValidationError(
            _("Indique el tema de la jornada o el curso que se dicta."), code="tema"
        )
    if jornada.pk is None:
        jornada.creada_por = creada_por
    jornada.acciones_plan = [
        a.strip().upper() for a in jornada.acciones_plan if a.strip()
    ]
    jornada.full_clean()
    jornada.save()
    return jornada


def asistencia_registrar(
    *,
    jornada: Jornada,
    usuario: User,
    origen: str,
    registrada_por: User | None = None,
) -> tuple[Asistencia, bool]:
    """Registra la asistencia (idempotente) y su hecho nacional en una transacción."""
    existente = Asistencia.objects.filter(jornada=jornada, usuario=usuario).first()
    if existente is not None:
        return existente, False

    def crear() -> Asistencia:
        asistencia = Asistencia.objects.create(
            jornada=jornada,
            usuario=usuario,
            origen=origen,
            registrada_por=registrada_por,
        )
        asistencia_registrada.send(sender=Asistencia, asistencia=asistencia)
        return asistencia

    return crear_o_recuperar(
        crear, lambda: Asistencia.objects.get(jornada=jornada, usuario=usuario)
    )


def asistencia_qr_registrar(
    *, token: str, usuario: User, ahora: dt.datetime | None = None
) -> tuple[Jornada, Asistencia, bool]:
    """Marca presente a quien escaneó el QR, solo dentro de la ventana de la jornada."""
    ahora = ahora or timezone.now()
    jornada = Jornada.objects.select_related("curso").filter(token=token).first()
    if jornada is None:
        raise ValidationError(
            _("El código no corresponde a ninguna jornada de este sitio."),
            code="token",
        )
    # cursos.models.jornadas aún no está anotado (se edita en paralelo).
    desde, hasta = jornada.ventana()  # type: ignore[no-untyped-call]
    if ahora < desde:
        raise ValidationError(
            _(
                "El registro de asistencia aún no está abierto: abre a las %(hora)s "
                "del %(dia)s."
            )
            % {
                "hora": timezone.localtime(desde).strftime("%H:%M"),
                "dia": timezone.localtime(desde).strftime("%d-%m-%Y"),
            },
            code="antes",
        )
    if ahora > hasta:
        raise ValidationError(
            _(
                "La jornada ya terminó: el registro de asistencia cerró a las "
                "%(hora)s del %(dia)s. Pida a la encargada o encargado que la registre."
            )
            % {
                "hora": timezone.localtime(hasta).strftime("%H:%M"),
                "dia": timezone.localtime(hasta).strftime("%d-%m-%Y"),
            },
            code="despues",
        )
    asistencia, creada = asistencia_registrar(
        jornada=jornada, usuario=usuario, origen=Asistencia.Origen.QR
    )
    return jornada, asistencia, creada


@dataclass
class ResultadoAsistencia(ResultadoFilas):
    registradas: int = 0
    existentes: int = 0


def asistencias_importar(
    *,
    jornada: Jornada,
    archivo: BinaryIO,
    registrada_por: User | None,
    al_avanzar: Callable[[int], None] | None = None,
) -> ResultadoAsistencia:
    """Carga la asistencia desde una planilla con una columna de RUT, todo o nada.

    Primero se revisan todas las filas (una sola consulta para los RUT); si alguna
    tiene errores no se registra ninguna y el resultado repite sus valores.
    """
    libro = xlsx_abrir(archivo)
    resultado = ResultadoAsistencia()
    vistos: dict[str, int] = {}
    leidas: list[tuple[int, str, tuple[Any, ...]]] = []
    hoja = libro.worksheets[0]
    for numero, fila in filas_de_datos(hoja, resultado.errores, max_filas=MAX_FILAS):
        try:
            rut = rut_normalizar(str(fila[0] or ""))
        except ValidationError:
            resultado.error_agregar(numero, _("RUT inválido o vacío"), fila)
            continue
        if rut in vistos:
            resultado.error_agregar(
                numero,
                _("fila duplicada: el mismo RUT está en la fila %(n)s")
                % {"n": vistos[rut]},
                fila,
            )
            continue
        vistos[rut] = numero
        leidas.append((numero, rut, fila))
    libro.close()
    usuarios = dict(
        Perfil.objects.filter(rut__in=vistos).values_list("rut", "usuario_id")
    )
    for numero, rut, fila in leidas:
        if rut not in usuarios:
            resultado.error_agregar(
                numero, _("el RUT no está en la nómina de este sitio"), fila
            )
    if resultado.errores:
        resultado.errores.sort()
        return resultado
    if al_avanzar:
        al_avanzar(50)
    personas = get_user_model().objects.in_bulk(list(usuarios.values()))
    with transaction.atomic():
        for _numero, rut, _fila in leidas:
            _a, creada = asistencia_registrar(
                jornada=jornada,
                usuario=personas[usuarios[rut]],
                origen=Asistencia.Origen.PLANILLA,
                registrada_por=registrada_por,
            )
            if creada:
                resultado.registradas += 1
            else:
                resultado.existentes += 1
    return resultado


@importable
def asistencias_importar_trabajo(
    archivo: BinaryIO,
    *,
    jornada_id: int,
    usuario_id: int,
    al_avanzar: Callable[[int], None] | None = None,
) -> ResultadoAsistencia:
    """La importación de asistencia tal como la corre la tarea en segundo plano."""
    return asistencias_importar(
        jornada=Jornada.objects.get(pk=jornada_id),
        archivo=archivo,
        registrada_por=get_user_model().objects.filter(pk=usuario_id).first(),
        al_avanzar=al_avanzar,
    )


def plantilla_asistencia_xlsx() -> bytes:
    return planillas.plantilla_xlsx(
        titulo="Asistencia",
        columnas=COLUMNAS_ASISTENCIA,
        ejemplos=[["12.345.678-5", "Ana Pérez"]],
        anchos=[16, 30],
    )


def qr_svg(url: str) -> str:
    """El QR de la sala como SVG en línea (segno, sin servicios externos)."""
    import segno

    qr = segno.make(url, error="m")
    salida = BytesIO()
    qr.save(
        salida,
        kind="svg",
        scale=8,
        border=2,
        xmldecl=False,
        svgns=True,
        title=_("Código QR de asistencia"),
    )
    return salida.getvalue().decode()
