"""Formularios de avisos: qué categorías recibir por correo."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors


class PreferenciasForm(forms.Form):
    recibir = forms.MultipleChoiceField(
        label=_("Quiero recibir por correo"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recibir"].choices = selectors.excluibles()
