"""PDF del certificado: ReportLab + QR de segno, A4 apaisado, en castellano.

Funciones puras (sin consultas): reciben los datos ya leídos, así el mismo código sirve
para la descarga, el correo y el ZIP por unidad. Nunca imprime el RUT.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

ANCHO, ALTO = landscape(A4)
# Máscara fija: segno elige la máscara evaluando las ocho (≈ 3 ms en Python puro, la
# mitad del presupuesto de un PDF). Toda máscara es válida según ISO/IEC 18004; la
# prueba de lectura con zxing-cpp cubre que el código se decodifica.
MASCARA_QR = 2


@dataclass(frozen=True)
class DatosPdf:
    titular: str
    curso: str
    horas: Decimal
    emitido_at: object
    vence_at: object | None
    codigo_formateado: str
    url_verificacion: str
    institucion: str
    firmante_nombre: str
    firmante_cargo: str
    color: str = "#1d4e89"
    logo: bytes | None = None
    # «2.0» y la fecha de esa versión del curso (issue 16); vacía en los antiguos.
    version: str = ""
    version_fecha: object | None = None


def _fecha(valor) -> str:
    return formats.date_format(timezone.localtime(valor), "j \\d\\e F \\d\\e Y")


def qr_imagen(url: str, *, escala: int = 4) -> Image.Image:
    qr = segno.make(url, error="m", mask=MASCARA_QR)
    filas = list(qr.matrix_iter(scale=1, border=4))
    lado = len(filas)
    pixeles = bytes(0 if v else 255 for fila in filas for v in fila)
    imagen = Image.frombytes("L", (lado, lado), pixeles)
    return imagen.resize((lado * escala, lado * escala), Image.NEAREST)


@lru_cache(maxsize=32)
def _logo(datos: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(datos))


def _centrado(c: Canvas, texto: str, y: float, fuente: str, tamano: float, maximo):
    """Centra una línea y la achica hasta que quepa en ``maximo`` puntos."""
    while tamano > 8 and stringWidth(texto, fuente, tamano) > maximo:
        tamano -= 1
    c.setFont(fuente, tamano)
    c.drawCentredString(ANCHO / 2, y, texto)


def _lineas(texto: str, fuente: str, tamano: float, maximo: float) -> list[str]:
    palabras, lineas, actual = texto.split(), [], ""
    for palabra in palabras:
        prueba = f"{actual} {palabra}".strip()
        if actual and stringWidth(prueba, fuente, tamano) > maximo:
            lineas.append(actual)
            actual = palabra
        else:
            actual = prueba
    if actual:
        lineas.append(actual)
    return lineas[:3]


def certificado_pdf(datos: DatosPdf) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(ANCHO, ALTO), pageCompression=0)
    c.setTitle(_("Certificado %(codigo)s") % {"codigo": datos.codigo_formateado})
    c.setAuthor(datos.institucion)
    color = HexColor(datos.color)

    # Marco y franja superior con el color del tenant.
    c.setFillColor(color)
    c.rect(0, ALTO - 70, ANCHO, 70, stroke=0, fill=1)
    c.setStrokeColor(color)
    c.setLineWidth(3)
    c.rect(18, 18, ANCHO - 36, ALTO - 36, stroke=1, fill=0)
    if datos.logo:
        c.drawImage(
            _logo(datos.logo),
            36,
            ALTO - 62,
            width=54,
            height=54,
            preserveAspectRatio=True,
            mask="auto",
        )
    c.setFillColor(white)
    _centrado(c, datos.institucion, ALTO - 44, "Helvetica-Bold", 18, ANCHO - 240)

    c.setFillColor(color)
    _centrado(c, _("CERTIFICADO"), ALTO - 125, "Helvetica-Bold", 34, ANCHO - 120)
    c.setFillColorRGB(0.15, 0.15, 0.15)
    _centrado(c, _("Se certifica que"), ALTO - 165, "Helvetica", 14, ANCHO)
    _centrado(c, datos.titular, ALTO - 205, "Helvetica-Bold", 28, ANCHO - 160)
    _centrado(c, _("aprobó el curso"), ALTO - 240, "Helvetica", 14, ANCHO)
    y = ALTO - 275
    for linea in _lineas(datos.curso, "Helvetica-Bold", 20, ANCHO - 200):
        _centrado(c, linea, y, "Helvetica-Bold", 20, ANCHO - 200)
        y -= 24
    horas = formats.number_format(datos.horas.normalize(), use_l10n=True)
    duracion = _("con una duración de %(horas)s horas") % {"horas": horas}
    if datos.version:
        numero = datos.version.split(".")[0]
        if datos.version_fecha:
            duracion += " · " + _("versión %(numero)s (%(fecha)s)") % {
                "numero": numero,
                "fecha": formats.date_format(datos.version_fecha, "F \\d\\e Y"),
            }
        else:
            duracion += " · " + _("versión %(numero)s") % {"numero": numero}
    _centrado(c, duracion, y - 6, "Helvetica", 13, ANCHO)
    fechas = _("Emitido el %(emision)s") % {"emision": _fecha(datos.emitido_at)}
    if datos.vence_at:
        fechas += " · " + _("Válido hasta el %(vence)s") % {
            "vence": _fecha(datos.vence_at)
        }
    _centrado(c, fechas, y - 30, "Helvetica", 12, ANCHO)

    # Firma.
    if datos.firmante_nombre:
        c.setLineWidth(0.8)
        c.setStrokeColorRGB(0.3, 0.3, 0.3)
        c.line(ANCHO / 2 - 130, 118, ANCHO / 2 + 130, 118)
        _centrado(c, datos.firmante_nombre, 102, "Helvetica-Bold", 12, 300)
        _centrado(c, datos.firmante_cargo, 87, "Helvetica", 10, 300)

    # QR y código, abajo a la derecha.
    lado = 96
    x_qr, y_qr = ANCHO - 36 - lado, 40
    c.drawImage(ImageReader(qr_imagen(datos.url_verificacion)), x_qr, y_qr, lado, lado)
    c.setFont("Helvetica-Bold", 10)
    c.drawRightString(
        x_qr - 10,
        y_qr + 52,
        _("Código: %(codigo)s") % {"codigo": datos.codigo_formateado},
    )
    c.setFont("Helvetica", 8)
    c.drawRightString(x_qr - 10, y_qr + 40, _("Verifique su validez en"))
    c.drawRightString(x_qr - 10, y_qr + 30, datos.url_verificacion)
    c.showPage()
    c.save()
    return buffer.getvalue()
