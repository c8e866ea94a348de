"""El cuerpo de una lección: los bloques genéricos de content y las actividades
(quiz de evaluaciones, actividad H5P de content/h5p)."""

from __future__ import annotations

from wagtail import blocks

from content.blocks import (
    AvisoBlock,
    CasoBlock,
    ChecklistBlock,
    DocumentoBlock,
    ImagenBlock,
    TextoBlock,
    VideoBlock,
)
from content.h5p.blocks import H5PBlock
from evaluaciones.blocks import EvaluacionBlock


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
