from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cursos.models import Institucion

from .models import TokenAPI


class TokenCrearForm(forms.Form):
    nombre = forms.CharField(
        label=_("Nombre"),
        max_length=100,
        help_text=_("Para reconocerlo, p. ej. «Sistema de RR. HH.»."),
    )
    institucion = forms.ModelChoiceField(
        label=_("Institución"),
        queryset=Institucion.objects.order_by("nombre"),
        help_text=_("El token solo ve y modifica personas y unidades de ella."),
    )
    alcance = forms.ChoiceField(
        label=_("Alcance"),
        choices=TokenAPI.Alcance.choices,
        initial=TokenAPI.Alcance.LECTURA,
        widget=forms.RadioSelect,
        help_text=_("SCIM y las escrituras exigen lectura y escritura."),
    )
