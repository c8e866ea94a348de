"""Actividad H5P de demostración: el paquete propio en la lección de primer contacto."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from content.h5p import paquete_crear
from content.models import PaqueteH5P

PAQUETE = Path(__file__).resolve().parent / "h5p" / "caso-verdadero-falso.h5p"
TITULO = "Caso: consentimiento y trata"
LECCION = "primer-contacto"


def h5p_demo_asegurar():
    """Sube el paquete (una vez) y lo agrega al final de la lección (una vez)."""
    from cursos.models import LeccionPage

    leccion = LeccionPage.objects.filter(slug=LECCION).first()
    if leccion is None:
        return None
    paquete = PaqueteH5P.objects.filter(titulo=TITULO).first()
    if paquete is None:
        archivo = SimpleUploadedFile(
            PAQUETE.name, PAQUETE.read_bytes(), content_type="application/zip"
        )
        paquete = paquete_crear(titulo=TITULO, archivo=archivo)
    if not any(b.block_type == "h5p" for b in leccion.cuerpo):
        leccion.cuerpo.append(
            (
                "h5p",
                {"paquete": paquete, "umbral": Decimal("0.70"), "obligatoria": True},
            )
        )
        leccion.save_revision().publish()
    return paquete
