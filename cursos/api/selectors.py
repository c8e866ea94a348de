"""Lecturas de la API, siempre dentro de la institución del token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cursos.models import (
    CursoPage,
    Dotacion,
    Inscripcion,
    LeccionCompletada,
    Perfil,
    Unidad,
)

from .models import TokenAPI


def _usuarios_de(token: TokenAPI) -> QuerySet[Perfil, Any]:
    return Perfil.objects.filter(institucion_id=token.institucion_id).values(
        "usuario_id"
    )


def personas(token: TokenAPI) -> QuerySet[Perfil]:
    return (
        Perfil.objects.filter(institucion_id=token.institucion_id)
        .select_related("usuario")
        .order_by("pk")
    )


def unidades(token: TokenAPI) -> QuerySet[Unidad]:
    return Unidad.objects.filter(institucion_id=token.institucion_id).order_by("pk")


def dotaciones(token: TokenAPI, *, anio: int | None = None) -> QuerySet[Dotacion]:
    qs = Dotacion.objects.filter(unidad__institucion_id=token.institucion_id)
    if anio is not None:
        qs = qs.filter(anio=anio)
    return qs.order_by("unidad_id", "anio")


def inscripciones_avance(
    token: TokenAPI,
    *,
    desde: dt.datetime | None = None,
    curso_id: int | None = None,
) -> QuerySet[Inscripcion]:
    """Inscripciones de personas de la institución, las cambiadas desde ``desde``.

    Cambia el avance de una inscripción: crearla, completar una lección, completar
    el curso, emitir o revocar su certificado, y que el certificado venza (su fecha
    de vencimiento cae en el intervalo).
    """
    qs = Inscripcion.objects.filter(usuario_id__in=_usuarios_de(token))
    if curso_id is not None:
        qs = qs.filter(curso_id=curso_id)
    if desde is not None:
        ahora = timezone.now()
        lecciones = LeccionCompletada.objects.filter(
            inscripcion_id=OuterRef("pk"), completada_at__gte=desde
        )
        qs = qs.filter(
            Q(created_at__gte=desde)
            | Q(completado_at__gte=desde)
            | Exists(lecciones)
            | Q(certificado__created_at__gte=desde)
            | Q(certificado__revocado_at__gte=desde)
            | Q(certificado__vence_at__gte=desde, certificado__vence_at__lte=ahora)
        )
    return qs.order_by("pk")


def inscripciones_cargar(ids: list[int]) -> list[Inscripcion]:
    """Las inscripciones de una página, con persona y curso, en dos consultas.

    La página se elige sobre los ids (índice de la clave primaria); unir aquí el
    curso (CursoPage + la página de Wagtail) a toda la consulta paginada costaba
    tres veces más.
    """
    inscripciones = list(
        Inscripcion.objects.filter(pk__in=ids)
        .select_related("usuario__perfil")
        .order_by("pk")
    )
    cursos = CursoPage.objects.filter(pk__in={i.curso_id for i in inscripciones}).only(
        "id", "title", "path", "depth", "vigencia_meses"
    )
    por_id = {c.pk: c for c in cursos}
    for inscripcion in inscripciones:
        inscripcion.curso = por_id[inscripcion.curso_id]
    return inscripciones


def certificados(
    token: TokenAPI, *, desde: dt.datetime | None = None
) -> QuerySet[Inscripcion, Any]:
    """Certificados de la institución, leídos por la inscripción (cursos no importa
    certificados: DESIGN.md §4). Devuelve filas ``values``."""
    qs = Inscripcion.objects.filter(
        usuario__perfil__institucion_id=token.institucion_id,
        certificado__isnull=False,
    )
    if desde is not None:
        ahora = timezone.now()
        qs = qs.filter(
            Q(certificado__created_at__gte=desde)
            | Q(certificado__revocado_at__gte=desde)
            | Q(certificado__vence_at__gte=desde, certificado__vence_at__lte=ahora)
        )
    return qs.order_by("certificado__id").values(
        "usuario_id",
        "curso_id",
        "ciclo",
        "usuario__perfil__rut",
        "certificado__codigo",
        "certificado__curso_titulo",
        "certificado__estado",
        "certificado__emitido_at",
        "certificado__vence_at",
        "certificado__revocado_at",
    )
