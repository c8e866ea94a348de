"""Página de avance de una importación en segundo plano (nómina, asistencia, banco de
preguntas) y la descarga de su planilla de errores.

Solo la ve quien la pidió, en su tenant (otro tenant u otra persona: 404), y solo si
aún tiene el rol o los permisos para importar ese tipo (si no: 403).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from content.models import Importacion
from content.trabajos import (
    importacion_de_usuario,
    importacion_errores_xlsx,
    importacion_resumen,
    trabajo_estado,
)
from lib.planillas import xlsx_respuesta
from tenants.roles import Rol, tiene_rol


def _puede_ver(usuario, tipo: str) -> bool:
    if tipo == "banco":
        return usuario.has_perm("evaluaciones.add_pregunta") and usuario.has_perm(
            "evaluaciones.change_pregunta"
        )
    return tiene_rol(usuario, Rol.ENCARGADO)


def _importacion(request, uuid) -> Importacion:
    # El permiso se mira antes de buscar: a un funcionario no se le dice si existe.
    if not (
        tiene_rol(request.user, Rol.ENCARGADO) or _puede_ver(request.user, "banco")
    ):
        raise PermissionDenied
    obj = importacion_de_usuario(uuid=uuid, usuario=request.user)
    if obj is None:
        raise Http404
    if not _puede_ver(request.user, obj.tipo):
        raise PermissionDenied
    return obj


@login_required
def importacion(request, uuid):
    obj = _importacion(request, uuid)
    return render(
        request,
        "cursos/importacion.html",
        {
            "importacion": obj,
            "avance": _avance(obj),
            "resumen": importacion_resumen(obj),
            "es_encargado": obj.tipo != "banco",
        },
    )


@never_cache
@login_required
def importacion_estado(request, uuid):
    return JsonResponse(_avance(_importacion(request, uuid)))


def _avance(obj: Importacion) -> dict:
    return trabajo_estado(
        obj,
        descarga=reverse("cursos:importacion_errores", args=[obj.uuid])
        if obj.con_planilla_de_errores
        else None,
    )


@login_required
def importacion_errores(request, uuid):
    obj = _importacion(request, uuid)
    if not obj.con_planilla_de_errores:
        raise Http404
    return xlsx_respuesta(importacion_errores_xlsx(obj), "errores-importacion.xlsx")
