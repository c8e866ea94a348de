"""Lecturas de certificados para las vistas, los lotes, los avisos y los tableros."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.utils import timezone

from verificacion.estados import DEFINITIVOS, limite_vencido
from verificacion.models import EstadoCertificado

from .models import Certificado

Estado = EstadoCertificado


def estado_efectivo_expresion(*, hoy: dt.date | None = None) -> Case:
    """``certificado_estado`` (verificacion/estados.py) escrito en SQL, para filtrar y
    contar sin traer las filas. Una prueba lo compara caso por caso con la función."""
    hoy = hoy or timezone.localdate()
    return Case(
        When(estado__in=DEFINITIVOS, then=F("estado")),
        When(
            vence_at__lt=limite_vencido(hoy),
            then=Value(Estado.VENCIDO.value),
        ),
        default=Value(Estado.VIGENTE.value),
        output_field=CharField(),
    )


def estado_efectivo_anotar(
    qs: QuerySet[Certificado], *, hoy: dt.date | None = None
) -> QuerySet[Certificado]:
    """Agrega ``estado_hoy``: el estado efectivo de cada certificado, en la consulta."""
    return qs.annotate(estado_hoy=estado_efectivo_expresion(hoy=hoy))


def certificados_filtrar(
    *,
    unidad_id: int | None = None,
    curso_id: int | None = None,
    estado: str | None = None,
) -> QuerySet[Certificado]:
    """Certificados del tenant, filtrados por unidad, curso y estado efectivo."""
    qs = Certificado.objects.select_related("usuario__perfil__unidad")
    if unidad_id:
        qs = qs.filter(usuario__perfil__unidad_id=unidad_id)
    if curso_id:
        qs = qs.filter(curso_id=curso_id)
    if estado:
        qs = estado_efectivo_anotar(qs).filter(estado_hoy=estado)  # type: ignore[misc]  # estado_hoy: anotación de estado_efectivo_anotar
    return qs.order_by("-emitido_at", "-pk")


def certificados_de_unidad(*, unidad_id: int) -> QuerySet[Certificado]:
    """Los certificados en uso (válidos o vencidos) de las personas de la unidad."""
    return Certificado.objects.filter(
        usuario__perfil__unidad_id=unidad_id,
        estado__in=[Estado.VIGENTE, Estado.VENCIDO],
    ).order_by("titular_nombre", "pk")


def certificados_por_vencer(
    *, desde: dt.datetime, hasta: dt.datetime
) -> QuerySet[Certificado]:
    """Válidos hoy que vencen dentro de (desde, hasta]: los del aviso de vencimiento."""
    return estado_efectivo_anotar(
        Certificado.objects.filter(vence_at__gt=desde, vence_at__lte=hasta),
        hoy=timezone.localdate(desde),
    ).filter(estado_hoy=Estado.VIGENTE)  # type: ignore[misc]  # estado_hoy: anotación de estado_efectivo_anotar


def _validos_hoy(hoy: dt.date | None) -> QuerySet[Certificado]:
    return estado_efectivo_anotar(Certificado.objects.all(), hoy=hoy).filter(
        estado_hoy=Estado.VIGENTE  # type: ignore[misc]  # estado_hoy: anotación de estado_efectivo_anotar
    )


def vigentes_hoy_usuarios(*, hoy: dt.date | None = None) -> set[int]:
    """Los usuarios con al menos un certificado válido hoy."""
    return set(_validos_hoy(hoy).values_list("usuario_id", flat=True).distinct())


def vigentes_hoy(*, hoy: dt.date | None = None) -> dict[str, Any]:
    """Personas con al menos un certificado válido hoy: total y por unidad actual.

    Es la cifra «vigente hoy», aparte de «capacitados»: el vencimiento no borra la
    capacitación de un año (el hecho nacional queda), pero aquí no cuenta. Devuelve
    ``{"total": n, "por_unidad": {unidad_id | None: n}}``.
    """
    validos = _validos_hoy(hoy)
    por_unidad = {
        fila["usuario__perfil__unidad_id"]: fila["personas"]
        for fila in validos.values("usuario__perfil__unidad_id")
        .annotate(personas=Count("usuario_id", distinct=True))
        .order_by()
    }
    total = validos.aggregate(personas=Count("usuario_id", distinct=True))["personas"]
    return {"total": total, "por_unidad": por_unidad}
