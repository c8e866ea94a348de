"""Lecturas de certificados para las vistas y los lotes."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from verificacion.models import EstadoCertificado

from .models import Certificado

Estado = EstadoCertificado


def certificados_filtrar(
    *,
    unidad_id: int | None = None,
    curso_id: int | None = None,
    estado: str | None = None,
) -> QuerySet[Certificado]:
    """Certificados del tenant, filtrados por unidad, curso y estado efectivo.

    «Vencido» incluye a los vigentes cuya fecha ya pasó aunque la tarea diaria aún no
    los marque.
    """
    qs = Certificado.objects.select_related("usuario__perfil__unidad")
    if unidad_id:
        qs = qs.filter(usuario__perfil__unidad_id=unidad_id)
    if curso_id:
        qs = qs.filter(curso_id=curso_id)
    ahora = timezone.now()
    no_vencido = Q(vence_at__isnull=True) | Q(vence_at__gt=ahora)
    if estado == Estado.VIGENTE:
        qs = qs.filter(no_vencido, estado=Estado.VIGENTE)
    elif estado == Estado.VENCIDO:
        qs = qs.filter(
            Q(estado=Estado.VENCIDO) | (Q(estado=Estado.VIGENTE) & ~no_vencido)
        )
    elif estado in (Estado.REVOCADO, Estado.REEMPLAZADO):
        qs = qs.filter(estado=estado)
    return qs.order_by("-emitido_at", "-pk")


def certificados_de_unidad(*, unidad_id: int) -> QuerySet[Certificado]:
    """Los certificados en uso (vigentes o vencidos) de las personas de la unidad."""
    return Certificado.objects.filter(
        usuario__perfil__unidad_id=unidad_id,
        estado__in=[Estado.VIGENTE, Estado.VENCIDO],
    ).order_by("titular_nombre", "pk")
