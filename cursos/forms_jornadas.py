from __future__ import annotations

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import CursoPage, Jornada

FORMATO_FECHA_HORA = "%Y-%m-%dT%H:%M"


class FechaHoraInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=FORMATO_FECHA_HORA, **kwargs)


def acciones_del_plan() -> list[tuple[str, str]]:
    """Las acciones del plan (schema public) como opciones: código y texto.

    Se leen por ``apps.get_model`` y no con un import: indicadores está por encima
    de cursos (DESIGN.md §4) y cursos no la importa.
    """
    Accion = apps.get_model("indicadores", "Accion")
    return [
        (codigo, f"{codigo} · {texto[:90]}")
        for codigo, texto in Accion.objects.order_by("orden", "codigo").values_list(
            "codigo", "texto"
        )
    ]


class AccionesPlanField(forms.MultipleChoiceField):
    """Códigos de acciones elegidos del plan; acepta minúsculas, nunca texto libre."""

    def to_python(self, value):
        valores = super().to_python(value)
        codigos = []
        for v in valores:
            codigos += [c.strip().upper() for c in str(v).split(",") if c.strip()]
        return list(dict.fromkeys(codigos))

    def validate(self, value):
        validos = {c for c, _t in self.choices}
        desconocidos = [c for c in value if c not in validos]
        if desconocidos:
            raise ValidationError(
                _("%(codigos)s no es una acción del Plan de Acción Nacional."),
                code="invalid_choice",
                params={"codigos": ", ".join(desconocidos)},
            )


class JornadaForm(forms.ModelForm):
    acciones_plan = AccionesPlanField(
        label=_("Acciones del plan"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Elija las acciones del plan a las que se dirige la jornada. Solo cuenta "
            "para ellas si la institución de cada asistente es destinataria."
        ),
    )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curso"].queryset = CursoPage.objects.live().order_by("title")
        self.fields["acciones_plan"].choices = acciones_del_plan()
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
