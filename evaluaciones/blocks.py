"""Bloque de la evaluación (quiz) dentro de una lección."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from content.blocks import ActividadMixin

from .selectors import evaluacion_aprobada


class EvaluacionBlock(ActividadMixin, blocks.StructBlock):
    evaluacion = SnippetChooserBlock("evaluaciones.Evaluacion", label=_("evaluación"))
    obligatoria = blocks.BooleanBlock(
        label=_("aprobarla es requisito de la lección"), required=False, default=True
    )

    class Meta:
        label = _("Control de conocimientos (quiz)")
        icon = "form"
        template = "evaluaciones/blocks/evaluacion.html"

    def aprobada(self, usuario, value) -> bool:
        return evaluacion_aprobada(usuario=usuario, evaluacion=value["evaluacion"])
