"""Metas sí/no e informes de la demo, registrados como lo hace la coordinación MITP.

Estas metas no salen de los hechos: la MITP las registra en su pantalla con la
evidencia adjunta (``indicadores.metas_manuales.meta_manual_registrar``). La demo
registra algunas con un PDF que dice, en su primera línea, que es un documento de
demostración; otras quedan sin registrar (y se ven «No cumplida»), como en un plan
real a mitad de camino. Idempotente: una meta ya registrada no se toca.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

# (acción, plazo de la meta) → logrado. E2-A1.2 y E3-A2.4 quedan sin registrar.
REGISTROS = {
    ("E1-A1.6", date(2025, 12, 31)): 1,
    ("E1-A2.1", date(2025, 5, 30)): 1,
    ("E2-A1.1", date(2025, 6, 30)): 1,
    ("E3-A1.3", date(2024, 11, 30)): 1,
    ("E3-A2.5", date(2025, 3, 30)): 1,
    ("E4-A3.1", date(2024, 6, 30)): 2,
    ("E4-A3.1", date(2024, 12, 31)): 2,
    ("E4-A3.1", date(2025, 6, 30)): 2,
    ("E4-A3.1", date(2025, 12, 31)): 1,
    ("E4-A3.1", date(2026, 6, 30)): 2,
    ("E4-A3.1", date(2026, 12, 31)): 1,
}


def _pdf(titulo: str, texto: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    salida = BytesIO()
    hoja = canvas.Canvas(salida, pagesize=A4)
    hoja.setFont("Helvetica-Bold", 14)
    hoja.drawString(60, 780, "Documento de demostración (ficticio)")
    hoja.setFont("Helvetica", 11)
    hoja.drawString(60, 755, titulo)
    y = 730
    linea = ""
    for palabra in texto.split():
        if len(linea) + len(palabra) > 85:
            hoja.drawString(60, y, linea)
            y -= 16
            linea = ""
        linea = f"{linea} {palabra}".strip()
    hoja.drawString(60, y, linea)
    hoja.save()
    return salida.getvalue()


def metas_manuales_demo_asegurar(*, usuario=None) -> int:
    """Registra las metas de ``REGISTROS`` que aún no tienen registro; devuelve
    cuántas registró. Llamar en el schema public, con el plan ya cargado."""
    from indicadores.metas_manuales import meta_manual_registrar, metas_manuales

    from .poblacion import en_fecha, momento

    hoy = timezone.localdate()
    registradas = 0
    for meta in metas_manuales().filter(logrado_manual__isnull=True):
        logrado = REGISTROS.get((meta.accion.codigo, meta.plazo))
        if logrado is None:
            continue
        nombre = f"evidencia-demo-{meta.accion.codigo}-{meta.plazo:%Y-%m}.pdf"
        titulo = f"Evidencia de la meta {meta.accion.codigo} ({meta.anio})"
        archivo = SimpleUploadedFile(
            nombre, _pdf(titulo, meta.texto), content_type="application/pdf"
        )
        dia = min(meta.plazo - timedelta(days=12), hoy - timedelta(days=1))
        with en_fecha(momento(dia)):
            meta_manual_registrar(
                meta=meta, logrado=logrado, archivo=archivo, usuario=usuario
            )
        registradas += 1
    return registradas
