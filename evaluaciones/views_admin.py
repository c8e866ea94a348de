"""Importación del banco de preguntas en el admin de Wagtail del tenant."""

from __future__ import annotations

import base64

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from lib.planillas import errores_xlsx, planilla_validar_subida, xlsx_respuesta

from .importacion import plantilla_xlsx, preguntas_importar


class ImportarForm(forms.Form):
    archivo = forms.FileField(label=gettext_lazy("Planilla xlsx"))

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        planilla_validar_subida(archivo)
        return archivo


def _puede_importar(user) -> bool:
    return user.has_perm("evaluaciones.add_pregunta") and user.has_perm(
        "evaluaciones.change_pregunta"
    )


def importar(request):
    if not _puede_importar(request.user):
        raise PermissionDenied
    resultado = None
    reporte = None
    form = ImportarForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resultado = preguntas_importar(
                form.cleaned_data["archivo"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("archivo", exc)
        else:
            if resultado.errores:
                reporte = base64.b64encode(errores_xlsx(resultado.errores)).decode()
    return render(
        request,
        "evaluaciones/admin/importar.html",
        {"form": form, "resultado": resultado, "reporte": reporte},
    )


def plantilla(request):
    if not _puede_importar(request.user):
        raise PermissionDenied
    return xlsx_respuesta(plantilla_xlsx(), "banco-preguntas.xlsx")
