"""Formulario del banco de preguntas en el administrador de Wagtail."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from .reglas import opciones_errores


class PreguntaForm(WagtailAdminModelForm):
    """Rechaza preguntas que nunca se podrían responder bien.

    La regla vive en evaluaciones.reglas; aquí solo se le pasan las opciones del
    formulario anidado, las mismas que se guardarían.
    """

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("opciones")
        if formset is None or not formset.is_valid():
            return cleaned
        opciones = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        for error in opciones_errores(tipo=cleaned.get("tipo", ""), opciones=opciones):
            self.add_error(None, error)
        return cleaned
