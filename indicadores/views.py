"""Tableros y exportaciones: el de la encargada (tenant) y el de la MITP (public).

Las vistas solo leen parámetros, llaman a indicadores.selectors / exportaciones y
dibujan. El tablero MITP muestra agregados: nunca nombres de personas.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certificados.selectors import vigentes_hoy
from content.trabajos import trabajo_estado
from lib import graficos
from lib.peticiones import anio_pedido
from tenants.roles import Rol, rol_requerido
from tenants.selectors import tenant_actual

from .exportaciones import (
    DEFINICION_CAPACITADO,
    exportacion_de_usuario,
    exportacion_pedir,
    exportacion_ruta,
    porcentaje_tabla,
    unidades_datos,
)
from .metas_manuales import evidencia_ruta, meta_manual_registrar, metas_manuales
from .models import Exportacion, MetaAnual
from .resumen import resumen_obtener
from .selectors import (
    EstadoMeta,
    Filtros,
    etiquetas_sexo,
    indicadores_calcular,
    metas_avance,
)


@rol_requerido(Rol.ENCARGADO)
def tablero_encargado(request):
    anio = anio_pedido(request)
    tenant_id = tenant_actual().pk
    filtros = Filtros(anio=anio, tenant_id=tenant_id)
    unidades, total = unidades_datos(anio=anio, tenant_id=tenant_id)
    meses = indicadores_calcular(agrupar_por=["mes"], filtros=filtros)
    sexos = etiquetas_sexo()
    por_sexo = [
        (str(sexos.get(f["sexo"], f["sexo"])), f["capacitados"])
        for f in indicadores_calcular(agrupar_por=["sexo"], filtros=filtros)
    ]
    por_actividad = sorted(
        indicadores_calcular(agrupar_por=["actividad"], filtros=filtros),
        key=lambda f: -f["capacitados"],
    )[:15]
    contexto = {
        "anio": anio,
        "total": total,
        "vigentes_hoy": vigentes_hoy()["total"],
        "unidades": unidades,
        "meses": meses,
        "por_sexo": por_sexo,
        "por_actividad": por_actividad,
        "grafico_unidades": graficos.barras(
            [(f["unidad"] or _("Sin unidad"), f["porcentaje"] or 0) for f in unidades],
            titulo=_("Porcentaje capacitado por unidad"),
            maximo=100,
            sufijo=" %",
        ),
        "grafico_meses": graficos.columnas(
            [(str(MONTHS_3[int(f["mes"][5:])]), f["capacitados"]) for f in meses],
            titulo=_("Personas capacitadas por mes"),
        ),
        "grafico_sexo": graficos.barras(
            por_sexo, titulo=_("Personas capacitadas por sexo")
        ),
        "grafico_actividad": graficos.barras(
            [(f["actividad_nombre"], f["capacitados"]) for f in por_actividad],
            titulo=_("Personas capacitadas por curso o jornada"),
        ),
        "es_encargado": True,
    }
    return render(request, "indicadores/tablero_encargado.html", contexto)


@rol_requerido(Rol.COORDINADOR_MITP)
def tablero_mitp(request):
    resumen = resumen_obtener()
    avances = metas_avance(logrados=resumen.logrados)
    estados = dict(EstadoMeta.choices)
    por_accion: dict[str, dict] = {}
    for a in avances:
        bloque = por_accion.setdefault(
            a.accion.codigo, {"accion": a.accion, "metas": [], "tenants": []}
        )
        bloque["metas"].append(
            {"avance": a, "estado_nombre": estados[a.estado], "estado": a.estado}
        )
    for fila in resumen.por_tenant:
        if fila["accion"] in por_accion:
            por_accion[fila["accion"]]["tenants"].append(fila)
    for bloque in por_accion.values():
        bloque["grafico"] = graficos.metas(
            [
                (
                    f"{m['avance'].meta.anio} · "
                    f"{m['avance'].meta.get_unidad_display()}",
                    m["avance"].meta.valor,
                    m["avance"].logrado,
                    m["estado"],
                )
                for m in bloque["metas"]
            ],
            titulo=_("Meta y logrado por año, acción %(c)s")
            % {"c": bloque["accion"].codigo},
        )
    conteo = {e: sum(1 for a in avances if a.estado == e) for e in estados}
    anios = sorted({a.meta.anio for a in avances})
    matriz = [
        {
            "accion": b["accion"],
            "ancla": n,
            "celdas": [
                [m for m in b["metas"] if m["avance"].meta.anio == anio]
                for anio in anios
            ],
        }
        for n, b in enumerate(por_accion.values(), 1)
    ]
    porcentajes = {p["anio"]: p for p in resumen.porcentajes}
    anio_pct = anio_pedido(request) if request.GET.get("anio") else None
    if anio_pct not in porcentajes:
        anio_pct = max(porcentajes) if porcentajes else None
    return render(
        request,
        "indicadores/tablero_mitp.html",
        {
            "porcentaje_filas": porcentaje_tabla(
                [porcentajes[anio_pct]] if anio_pct else []
            ),
            "porcentaje_anio": anio_pct,
            "porcentaje_anios": sorted(porcentajes),
            "definicion_capacitado": DEFINICION_CAPACITADO,
            "acciones": list(por_accion.values()),
            "anios": anios,
            "matriz": matriz,
            "conteo": [(estados[e], n, e) for e, n in conteo.items()],
            "colores": graficos.COLORES_ESTADO,
            "resumen": resumen,
            "por_version": resumen.por_version,
            "es_sitio_publico": True,
        },
    )


def _responder(request, exportacion: Exportacion):
    if exportacion.en_tarea:
        return redirect("indicadores:exportacion", uuid=exportacion.uuid)
    return _archivo(exportacion)


def _archivo(exportacion: Exportacion):
    ruta = exportacion_ruta(exportacion)
    if exportacion.estado != Exportacion.Estado.LISTO or not ruta.exists():
        raise Http404
    nombre = f"{exportacion.tipo}-{exportacion.created_at:%Y%m%d-%H%M}.xlsx"
    return FileResponse(ruta.open("rb"), as_attachment=True, filename=nombre)


@require_POST
@rol_requerido(Rol.ENCARGADO)
def exportar_tenant(request, tipo: str):
    if tipo not in {
        Exportacion.Tipo.NOMINA,
        Exportacion.Tipo.UNIDADES,
        Exportacion.Tipo.CERTIFICADOS,
    }:
        raise Http404
    # La nómina lleva la columna «Capacitado en <año>» del año del tablero.
    con_anio = {Exportacion.Tipo.UNIDADES, Exportacion.Tipo.NOMINA}
    filtros = {"anio": anio_pedido(request)} if tipo in con_anio else {}
    if request.POST.get("unidad_id", "").isdigit():
        filtros["unidad_id"] = int(request.POST["unidad_id"])
    return _responder(
        request, exportacion_pedir(usuario=request.user, tipo=tipo, filtros=filtros)
    )


@require_POST
@rol_requerido(Rol.COORDINADOR_MITP)
def exportar_plan(request):
    return _responder(
        request,
        exportacion_pedir(usuario=request.user, tipo=Exportacion.Tipo.PLAN, filtros={}),
    )


def _exportacion(request, uuid) -> Exportacion:
    obj = exportacion_de_usuario(uuid=uuid, usuario=request.user)
    if obj is None:
        raise Http404
    return obj


@login_required
def exportacion(request, uuid):
    obj = _exportacion(request, uuid)
    return render(
        request,
        "indicadores/exportacion.html",
        {
            "exportacion": obj,
            "avance": _exportacion_avance(obj),
            "es_sitio_publico": obj.tipo == Exportacion.Tipo.PLAN,
            "es_encargado": obj.tipo != Exportacion.Tipo.PLAN,
        },
    )


@never_cache
@login_required
def exportacion_estado(request, uuid):
    return JsonResponse(_exportacion_avance(_exportacion(request, uuid)))


def _exportacion_avance(obj: Exportacion) -> dict:
    descarga = reverse("indicadores:exportacion_descargar", args=[obj.uuid])
    return trabajo_estado(obj, descarga=descarga)


@login_required
def exportacion_descargar(request, uuid):
    return _archivo(_exportacion(request, uuid))


class MetaManualForm(forms.Form):
    logrado = forms.IntegerField(label=_("Logrado"), min_value=0)
    evidencia = forms.FileField(
        label=_("Evidencia (PDF, DOCX, XLSX, PNG o JPG; hasta 5 MB)"), required=False
    )


@rol_requerido(Rol.COORDINADOR_MITP)
def metas_manuales_lista(request):
    return render(
        request,
        "indicadores/metas_manuales.html",
        {"metas": metas_manuales(), "es_sitio_publico": True},
    )


@rol_requerido(Rol.COORDINADOR_MITP)
def meta_manual(request, meta_id: int):
    meta = get_object_or_404(metas_manuales(), pk=meta_id)
    form = MetaManualForm(
        request.POST or None,
        request.FILES or None,
        initial={"logrado": meta.logrado_manual or 0},
    )
    if meta.unidad == MetaAnual.Unidad.SI_NO:
        form.fields["logrado"] = forms.TypedChoiceField(
            label=_("¿Cumplida?"),
            choices=[(0, _("No")), (1, _("Sí"))],
            coerce=int,
            initial=meta.logrado_manual or 0,
        )
    if request.method == "POST" and form.is_valid():
        try:
            meta_manual_registrar(
                meta=meta,
                logrado=form.cleaned_data["logrado"],
                archivo=form.cleaned_data.get("evidencia"),
                usuario=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Meta registrada."))
            return redirect("indicadores:metas_manuales")
    return render(
        request,
        "indicadores/meta_manual.html",
        {"meta": meta, "form": form, "es_sitio_publico": True},
    )


@rol_requerido(Rol.COORDINADOR_MITP)
def meta_evidencia(request, meta_id: int):
    meta = get_object_or_404(metas_manuales(), pk=meta_id)
    ruta = evidencia_ruta(meta)
    if ruta is None:
        raise Http404
    return FileResponse(
        ruta.open("rb"),
        as_attachment=True,
        filename=meta.evidencia_nombre or ruta.name,
    )
