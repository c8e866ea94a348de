"""Lecturas de avisos: la lista de la persona, su contador, la vista de la encargada."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from cursos.models import Inscripcion

from .models import Aviso, Categoria, PreferenciaAvisos

# Avisos que la ley obliga a dar: nadie puede darse de baja de ellos. Cuando cambia
# un protocolo (p. ej. la Ley 21.325 pasó del DEM al SERMIG, o se revisan los
# procedimientos de la Ley 21.057), la capacitación de la versión anterior deja de
# acreditar a la persona y la institución debe reentrenarla: saberlo no puede quedar
# a su elección. Los demás (curso asignado, plazo, vencimiento) son recordatorios de
# algo que también se ve en «Mis cursos» y «Mis certificados».
OBLIGATORIAS: frozenset[str] = frozenset({Categoria.ACTUALIZACION.value})

# El contador del encabezado vive en la caché: la clave lleva el schema porque
# KEY_FUNCTION (django_tenants.cache.make_key) antepone el del tenant activo.
CONTADOR_SEGUNDOS = 600
LISTA_MAXIMO = 50


def contador_clave(usuario_id: int) -> str:
    return f"avisos:no_leidos:{usuario_id}"


def avisos_no_leidos_contar(*, usuario: User) -> int:
    """Cuántos avisos sin leer tiene la persona. Sale de la caché; si no está, una
    consulta y se guarda hasta que se cree o se lea un aviso."""
    clave = contador_clave(usuario.pk)
    valor = cache.get(clave)
    if valor is None:
        valor = Aviso.objects.filter(usuario=usuario, leido_at__isnull=True).count()
        cache.set(clave, valor, CONTADOR_SEGUNDOS)
    return int(valor)


def avisos_de(*, usuario: User) -> QuerySet[Aviso]:
    """Los avisos recientes de la persona, los más nuevos primero."""
    return Aviso.objects.filter(usuario=usuario).order_by("-creado_at", "-pk")[
        :LISTA_MAXIMO
    ]


def excluibles() -> list[tuple[str, str]]:
    """Las categorías de las que una persona puede darse de baja, con su nombre."""
    return [(v, str(n)) for v, n in Categoria.choices if v not in OBLIGATORIAS]


def categorias_excluidas(*, usuario: User) -> set[str]:
    preferencia = PreferenciaAvisos.objects.filter(usuario=usuario).first()
    if preferencia is None:
        return set()
    return set(preferencia.excluidas) - OBLIGATORIAS


def avisos_por_enviar(
    *, usuario_id: int, excluidas: set[str] | frozenset[str]
) -> QuerySet[Aviso]:
    """Los avisos de la persona que aún no salen por correo y que quiere recibir."""
    return (
        Aviso.objects.filter(usuario_id=usuario_id, enviado_at__isnull=True)
        .exclude(categoria__in=set(excluidas) - OBLIGATORIAS)
        .order_by("creado_at", "pk")
    )


def usuarios_con_avisos_por_enviar() -> QuerySet[Aviso, int]:
    """Ids de quienes tienen algún aviso sin enviar (con correo y activos)."""
    return (
        Aviso.objects.filter(enviado_at__isnull=True, usuario__is_active=True)
        .exclude(usuario__email="")
        .values_list("usuario_id", flat=True)
        .distinct()
        .order_by("usuario_id")
    )


def avisos_de_unidad(
    *, unidad_id: int | None, desde: dt.datetime | None = None
) -> QuerySet[Aviso]:
    """Avisos de los últimos 90 días para la encargada (por unidad si se pide)."""
    desde = desde or timezone.now() - dt.timedelta(days=90)
    qs = Aviso.objects.filter(creado_at__gte=desde).select_related(
        "usuario", "usuario__perfil__unidad"
    )
    if unidad_id:
        qs = qs.filter(usuario__perfil__unidad_id=unidad_id)
    return qs.order_by("-creado_at", "-pk")


def inscripciones_atrasadas(
    *, unidad_id: int | None, hoy: dt.date | None = None
) -> QuerySet[Inscripcion]:
    """Inscripciones con plazo vencido y sin completar (por unidad si se pide)."""
    hoy = hoy or timezone.localdate()
    qs = Inscripcion.objects.filter(
        plazo__lt=hoy, completado_at__isnull=True, usuario__is_active=True
    ).select_related("curso", "usuario", "usuario__perfil__unidad")
    if unidad_id:
        qs = qs.filter(usuario__perfil__unidad_id=unidad_id)
    return qs.order_by("plazo", "usuario__last_name", "pk")


def atrasos_por_unidad(*, hoy: dt.date | None = None) -> list[dict[str, object]]:
    """Cuántas personas distintas tienen algún plazo vencido, por unidad."""
    filas = (
        inscripciones_atrasadas(unidad_id=None, hoy=hoy)
        .order_by()
        .values("usuario__perfil__unidad__nombre")
        .annotate(personas=Count("usuario", distinct=True))
        .order_by("-personas", "usuario__perfil__unidad__nombre")
    )
    return [
        {"unidad": f["usuario__perfil__unidad__nombre"], "personas": f["personas"]}
        for f in filas
    ]


def inscripciones_por_vencer_plazo(*, hoy: dt.date, dias: int) -> QuerySet[Inscripcion]:
    """Sin completar y con plazo entre hoy y ``dias`` días más."""
    return Inscripcion.objects.filter(
        completado_at__isnull=True,
        usuario__is_active=True,
        plazo__gte=hoy,
        plazo__lte=hoy + dt.timedelta(days=dias),
    ).select_related("curso")
