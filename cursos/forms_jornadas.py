from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CursoPage, Jornada

FORMATO_FECHA_HORA = "%Y-%m-%dT%H:%M"


class FechaHoraInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=FORMATO_FECHA_HORA, **kwargs)


class JornadaForm(forms.ModelForm):
    class Meta:
        model = Jornada
        fields = [
            "tema",
            "curso",
            "inicio",
            "fin",
            "lugar",
            "region",
            "modalidad",
            "horas",
            "relator",
            "institucion",
            "acciones_plan",
        ]
        widgets = {"inicio": FechaHoraInput(), "fin": FechaHoraInput()}
        help_texts = {
            "acciones_plan": _(
                "Códigos separados por coma, p. ej. E1-A2.3. Si se deja vacío se "
                "usan los del curso vinculado."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curso"].queryset = CursoPage.objects.live().order_by("title")
        for campo in ("inicio", "fin"):
            self.fields[campo].input_formats = [FORMATO_FECHA_HORA]

    def clean(self):
        datos = super().clean()
        inicio, fin = datos.get("inicio"), datos.get("fin")
        if inicio and fin and fin <= inicio:
            self.add_error("fin", _("El término debe ser posterior al inicio."))
        if not datos.get("tema") and not datos.get("curso"):
            self.add_error("tema", _("Indique el tema o el curso vinculado."))
        return datos


class PlanillaForm(forms.Form):
    archivo = forms.FileField(
        label=_("Planilla (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
