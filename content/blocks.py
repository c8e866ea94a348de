"""Bloques StreamField genéricos (texto, imagen, video, documento, aviso, caso...).

Las actividades viven con su dueño (evaluaciones/blocks.py, content/h5p/blocks.py) y
cursos/blocks.py compone con todos el cuerpo de la lección.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


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
