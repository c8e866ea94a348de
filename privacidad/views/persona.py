"""«Mis datos»: la persona descarga todo lo suyo y pide rectificaciones."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import RectificacionForm
from ..models import SolicitudRectificacion
from ..pdf import datos_pdf
from ..selectors import datos_personales
from ..services import exportacion_registrar, rectificacion_solicitar


def errores_agregar(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for campo, errores in exc.error_dict.items():
        form.add_error(campo if campo in form.fields else None, errores)


@login_required
def mis_datos(request):
    form = RectificacionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rectificacion_solicitar(usuario=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errores_agregar(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Su solicitud quedó registrada. La encargada o el encargado de "
                    "capacitación la resolverá."
                ),
            )
            return redirect("privacidad:mis_datos")
    return render(
        request,
        "privacidad/mis_datos.html",
        {
            "form": form,
            "solicitudes": SolicitudRectificacion.objects.filter(usuario=request.user),
        },
    )


def _nombre_archivo(extension: str) -> str:
    return f"mis-datos-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def mis_datos_json(request):
    datos = datos_personales(request.user)
    exportacion_registrar(usuario=request.user, formato="json")
    respuesta = HttpResponse(
        json.dumps(datos, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    respuesta["Content-Disposition"] = (
        f'attachment; filename="{_nombre_archivo("json")}"'
    )
    respuesta["Cache-Control"] = "no-store"
    return respuesta


@login_required
def mis_datos_html(request):
    datos = datos_personales(request.user)
    exportacion_registrar(usuario=request.user, formato="html")
    respuesta = render(
        request,
        "privacidad/mis_datos_imprimible.html",
        {"datos": datos, "titulo": _("Mis datos personales")},
    )
    respuesta["Cache-Control"] = "no-store"
    return respuesta


@login_required
def mis_datos_pdf(request):
    datos = datos_personales(request.user)
    exportacion_registrar(usuario=request.user, formato="pdf")
    respuesta = HttpResponse(datos_pdf(datos), content_type="application/pdf")
    respuesta["Content-Disposition"] = (
        f'attachment; filename="{_nombre_archivo("pdf")}"'
    )
    respuesta["Cache-Control"] = "no-store"
    return respuesta
