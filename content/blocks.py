"""Biblioteca de bloques StreamField de las lecciones.

Los issues de evaluaciones y H5P agregan aquí sus bloques (quiz y actividad H5P).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class TextoBlock(blocks.RichTextBlock):
    class Meta:
        label = _("Texto")
        icon = "pilcrow"
        template = "content/blocks/texto.html"
        features = [
            "h2",
            "h3",
            "h4",
            "bold",
            "italic",
            "ol",
            "ul",
            "link",
            "blockquote",
        ]


class ImagenBlock(blocks.StructBlock):
    imagen = ImageChooserBlock(label=_("imagen"))
    texto_alternativo = blocks.CharBlock(
        label=_("texto alternativo"),
        max_length=250,
        help_text=_("Describa la imagen para quienes usan lector de pantalla."),
    )
    leyenda = blocks.CharBlock(label=_("leyenda"), required=False, max_length=250)

    class Meta:
        label = _("Imagen")
        icon = "image"
        template = "content/blocks/imagen.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("enlace del video"))
    transcripcion = blocks.TextBlock(label=_("transcripción"), required=False)

    class Meta:
        label = _("Video")
        icon = "media"
        template = "content/blocks/video.html"


class DocumentoBlock(blocks.StructBlock):
    documento = DocumentChooserBlock(label=_("documento"))
    descripcion = blocks.CharBlock(label=_("descripción"), required=False)

    class Meta:
        label = _("Documento (guía en PDF)")
        icon = "doc-full"
        template = "content/blocks/documento.html"


class AvisoBlock(blocks.StructBlock):
    nivel = blocks.ChoiceBlock(
        label=_("tipo"),
        choices=[
            ("importante", _("Importante")),
            ("alerta", _("Alerta")),
            ("recuerda", _("Recuerda")),
        ],
        default="importante",
    )
    texto = blocks.TextBlock(label=_("texto"))

    class Meta:
        label = _("Aviso destacado")
        icon = "warning"
        template = "content/blocks/aviso.html"


class CasoBlock(blocks.StructBlock):
    """Estudio de caso: el comentario experto se revela después de responder."""

    titulo = blocks.CharBlock(label=_("título"))
    escenario = blocks.TextBlock(label=_("escenario"))
    preguntas = blocks.ListBlock(
        blocks.CharBlock(label=_("pregunta")), label=_("preguntas guía")
    )
    comentario = blocks.TextBlock(label=_("comentario experto"))

    class Meta:
        label = _("Estudio de caso")
        icon = "help"
        template = "content/blocks/caso.html"


class ChecklistBlock(blocks.StructBlock):
    titulo = blocks.CharBlock(label=_("título"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("indicador")), label=_("ítems"))

    class Meta:
        label = _("Lista de indicadores")
        icon = "list-ul"
        template = "content/blocks/checklist.html"


class ActividadMixin:
    """Un bloque que es una actividad: puede ser requisito para completar la lección.

    Cada bloque de actividad implementa ``aprobada(usuario, value)``; el servicio de
    completitud de cursos recorre el cuerpo de la lección y la consulta.
    """

    es_actividad = True

    def aprobada(self, usuario, value) -> bool:  # pragma: no cover - interfaz
        raise NotImplementedError


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
        from evaluaciones.selectors import evaluacion_aprobada

        return evaluacion_aprobada(usuario=usuario, evaluacion=value["evaluacion"])


class H5PBlock(ActividadMixin, blocks.StructBlock):
    """Actividad H5P: corre aislada en un iframe (content/h5p/servicio.py) y su
    resultado llega por postMessage a la lección, que lo envía por xAPI."""

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
        from .h5p import paquete_aprobado

        paquete = value.get("paquete")
        if paquete is None:
            # Un paquete eliminado no puede dejar la lección imposible de completar.
            return True
        umbral = value.get("umbral")
        umbral = Decimal("0.70") if umbral is None else Decimal(str(umbral))
        return paquete_aprobado(usuario=usuario, paquete=paquete, umbral=umbral)

    def get_context(self, value, parent_context=None):
        from django.urls import reverse

        from .h5p import actividad_iri
        from .h5p.servicio import url_reproductor

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
            xapi_url=reverse("content:h5p_xapi", args=[page.pk, paquete.pk]),
            actividad_iri=iri,
            umbral_porcentaje=round(Decimal(str(value.get("umbral") or 0)) * 100),
            aprobada=usuario is not None and self.aprobada(usuario, value),
        )
        return context


class LeccionStreamBlock(blocks.StreamBlock):
    texto = TextoBlock()
    imagen = ImagenBlock()
    video = VideoBlock()
    documento = DocumentoBlock()
    aviso = AvisoBlock()
    caso = CasoBlock()
    checklist = ChecklistBlock()
    evaluacion = EvaluacionBlock()
    h5p = H5PBlock()
