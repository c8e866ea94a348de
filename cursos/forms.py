"""Formularios de cursos: leen y validan la entrada; las reglas viven en servicios."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Region, Sexo
from .models import CursoPage, Institucion, Jornada, Unidad


class RutInput(forms.TextInput):
    """Campo de RUT que nunca devuelve el valor en el HTML (ni al mostrar errores)."""

    def format_value(self, value):
        return None


class UnidadChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset",
            Unidad.objects.select_related("institucion").order_by(
                "institucion__nombre", "nombre"
            ),
        )
        super().__init__(**kwargs)


class PerfilForm(forms.Form):
    first_name = forms.CharField(label=_("Nombres"), max_length=150)
    last_name = forms.CharField(label=_("Apellidos"), max_length=150)
    rut = forms.CharField(
        label=_("RUT"),
        max_length=20,
        required=False,
        widget=RutInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("Con dígito verificador, por ejemplo 12.345.678-5."),
    )
    sexo = forms.ChoiceField(
        label=_("Sexo"), choices=[("", "---------"), *Sexo.choices], required=False
    )
    institucion = forms.ModelChoiceField(
        label=_("Institución"), queryset=Institucion.objects.all(), required=False
    )
    unidad = UnidadChoiceField(
        label=_("Unidad"),
        required=False,
        help_text=_("Debe pertenecer a la institución elegida."),
    )
    cargo = forms.CharField(label=_("Cargo"), max_length=150, required=False)
    region = forms.ChoiceField(
        label=_("Región"), choices=[("", "---------"), *Region.choices], required=False
    )

    def __init__(self, *args, rut_enmascarado: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if rut_enmascarado:
            self.fields["rut"].help_text = _(
                "RUT registrado: %(rut)s. Déjelo en blanco para conservarlo."
            ) % {"rut": rut_enmascarado}


class UsuarioChoiceField(forms.ModelChoiceField):
    """Personas del tenant por nombre y usuario; nunca por RUT."""

    def label_from_instance(self, obj) -> str:
        nombre = obj.get_full_name()
        return f"{nombre} ({obj.get_username()})" if nombre else obj.get_username()


class EncargadoInscripcionForm(forms.Form):
    curso = forms.ModelChoiceField(
        label=_("Curso"),
        queryset=CursoPage.objects.live().order_by("path"),
        error_messages={
            "invalid_choice": _(
                "El curso elegido no existe o no está publicado; "
                "no admite inscripciones."
            )
        },
    )
    usuario = UsuarioChoiceField(
        label=_("Una persona"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("last_name", "first_name", "username"),
        required=False,
    )
    unidad = UnidadChoiceField(label=_("O una unidad completa"), required=False)
    plazo = forms.DateField(
        label=_("Plazo para completarlo"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Opcional. Se recuerda 7 días y 1 día antes a quien no lo haya completado."
        ),
    )

    def clean_plazo(self):
        plazo = self.cleaned_data.get("plazo")
        if plazo is not None and plazo < timezone.localdate():
            raise forms.ValidationError(
                _("El plazo no puede ser una fecha pasada."), code="plazo_pasado"
            )
        return plazo

    def clean(self):
        datos = super().clean()
        if "usuario" in self.errors or "unidad" in self.errors:
            return datos
        if bool(datos.get("usuario")) == bool(datos.get("unidad")):
            raise forms.ValidationError(
                _("Elija una persona o una unidad completa (solo una de las dos)."),
                code="destino",
            )
        return datos


class FiltroUnidadForm(forms.Form):
    unidad = UnidadChoiceField(label=_("Unidad"), required=False)


# --- Jornadas presenciales y planillas -------------------------------------------

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
