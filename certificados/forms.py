from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cursos.models import CursoPage, Unidad
from verificacion.models import EstadoCertificado


class FiltroCertificadosForm(forms.Form):
    unidad = forms.ModelChoiceField(
        Unidad.objects.select_related("institucion"),
        required=False,
        label=_("Unidad"),
        empty_label=_("Todas"),
    )
    curso = forms.ModelChoiceField(
        CursoPage.objects.order_by("title"),
        required=False,
        label=_("Curso"),
        empty_label=_("Todos"),
    )
    estado = forms.ChoiceField(
        choices=[("", _("Todos")), *EstadoCertificado.choices],
        required=False,
        label=_("Estado"),
    )


class RevocarForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo de la revocación"), max_length=500, widget=forms.Textarea
    )


class LoteZipForm(forms.Form):
    unidad = forms.ModelChoiceField(
        Unidad.objects.select_related("institucion"), label=_("Unidad")
    )
