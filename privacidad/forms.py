from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campo


class RectificacionForm(forms.Form):
    campo = forms.ChoiceField(label=_("Dato que está mal"), choices=Campo.choices)
    valor = forms.CharField(label=_("Valor correcto"), max_length=200)
    motivo = forms.CharField(
        label=_("Motivo"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Por ejemplo: «mi apellido está mal escrito»."),
    )


class MotivoForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BuscarForm(forms.Form):
    texto = forms.CharField(
        label=_("Nombre, usuario, correo o RUT"),
        max_length=150,
        help_text=_("La búsqueda va por POST: el RUT nunca queda en la dirección."),
    )


class BuscarMitpForm(BuscarForm):
    tenant = forms.ModelChoiceField(label=_("Institución (sitio)"), queryset=None)

    def __init__(self, *args, **kwargs):
        from django_tenants.utils import get_public_schema_name

        from tenants.models import Tenant

        super().__init__(*args, **kwargs)
        self.fields["tenant"].queryset = (
            Tenant.objects.exclude(schema_name=get_public_schema_name())
            .exclude(es_plantilla=True)
            .order_by("nombre")
        )
        self.order_fields(["tenant", "texto"])


class PoliticaForm(forms.Form):
    anios_inactividad = forms.IntegerField(
        label=_("Años de inactividad"),
        min_value=0,
        max_value=50,
        help_text=_("0: sin política propia (se usa la del servidor, si la hay)."),
    )
