"""Importación del banco de preguntas en el admin de Wagtail del tenant."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from content.trabajos import importacion_pedir
from lib.planillas import planilla_validar_subida, xlsx_abrir, xlsx_respuesta

from .importacion import COLUMNAS, plantilla_xlsx


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
    form = ImportarForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        archivo = form.cleaned_data["archivo"]
        try:
            xlsx_abrir(archivo).close()
        except ValidationError as exc:
            form.add_error("archivo", exc)
        else:
            importacion = importacion_pedir(
                usuario=request.user,
                tipo="banco",
                funcion="evaluaciones.importacion.preguntas_importar",
                archivo=archivo,
                columnas=COLUMNAS,
                volver=request.path,
            )
            # La página de avance es la misma de las demás importaciones.
            return redirect(reverse("cursos:importacion", args=[importacion.uuid]))
    return render(
        request,
        "evaluaciones/admin/importar.html",
        {"form": form, "resultado": None, "reporte": None},
    )


def plantilla(request):
    if not _puede_importar(request.user):
        raise PermissionDenied
    return xlsx_respuesta(plantilla_xlsx(), "banco-preguntas.xlsx")
