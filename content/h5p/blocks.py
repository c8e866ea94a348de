"""Bloque de la actividad H5P dentro de una lección."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from ..blocks import ActividadMixin
from .servicio import url_reproductor
from .xapi import actividad_iri, paquete_aprobado


class H5PBlock(ActividadMixin, blocks.StructBlock):
    """Actividad H5P: corre aislada en un iframe (content/h5p/servicio.py) y su
    resultado llega por postMessage a la lección, que lo envía por xAPI."""

    es_h5p = True
    paquete = SnippetChooserBlock("content.PaqueteH5P", label=_("paquete H5P"))
    umbral = blocks.DecimalBlock(
        label=_("puntaje para aprobar (0 a 1)"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        default=Decimal("0.70"),
        help_text=_("Fracción del puntaje máximo; 0,7 equivale a 70 %."),
    )
    obligatoria = blocks.BooleanBlock(
        label=_("aprobarla es requisito de la lección"), required=False, default=True
    )

    class Meta:
        label = _("Actividad H5P")
        icon = "code"
        template = "content/blocks/h5p.html"

    def aprobada(self, usuario, value) -> bool:
        paquete = value.get("paquete")
        if paquete is None:
            # Un paquete eliminado no puede dejar la lección imposible de completar.
            return True
        umbral = value.get("umbral")
        umbral = Decimal("0.70") if umbral is None else Decimal(str(umbral))
        return paquete_aprobado(usuario=usuario, paquete=paquete, umbral=umbral)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page, paquete = parent_context.get("page"), value.get("paquete")
        request = parent_context.get("request")
        if page is None or page.pk is None or paquete is None or request is None:
            return context
        bloque = parent_context.get("block")
        usuario = getattr(request, "user", None)
        h5p_id = f"h5p-{getattr(bloque, 'id', None) or paquete.pk}"
        iri = actividad_iri(page, paquete.pk)
        context.update(
            h5p_id=h5p_id,
            reproductor_url=url_reproductor(request, paquete, iri=iri, h5p_id=h5p_id),
            xapi_url=reverse("cursos:h5p_xapi", args=[page.pk, paquete.pk]),
            actividad_iri=iri,
            umbral_porcentaje=round(Decimal(str(value.get("umbral") or 0)) * 100),
            aprobada=usuario is not None and self.aprobada(usuario, value),
        )
        return context
