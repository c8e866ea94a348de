"""«Mis datos» en PDF: lo mismo que la página imprimible, para guardar o enviar."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate


def _texto(valor: Any) -> str:
    if valor is None or valor == "":
        return "-"
    if isinstance(valor, bool):
        return _("sí") if valor else _("no")
    return escape(str(valor))


def _secciones(datos: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(título, líneas) de cada parte de la exportación, en el orden de la página."""

    def lineas(clave: str) -> list[str]:
        return [" · ".join(_texto(v) for v in fila.values()) for fila in datos[clave]]

    perfil = datos["perfil"]
    return [
        (
            _("Perfil"),
            [
                f"{_('Usuario')}: {_texto(perfil['usuario'])}",
                f"{_('Nombres')}: {_texto(perfil['nombres'])}",
                f"{_('Apellidos')}: {_texto(perfil['apellidos'])}",
                f"{_('Correo electrónico')}: {_texto(perfil['correo'])}",
                f"{_('RUT')}: {_texto(perfil['rut'])}",
                f"{_('Sexo')}: {_texto(perfil['sexo'])}",
                f"{_('Institución')}: {_texto(perfil['institucion'])}",
                f"{_('Unidad')}: {_texto(perfil['unidad'])}",
                f"{_('Cargo')}: {_texto(perfil['cargo'])}",
                f"{_('Región')}: {_texto(perfil['region'])}",
                f"{_('Cuenta creada el')}: {_texto(perfil['cuenta_creada'])}",
                f"{_('Último ingreso')}: {_texto(perfil['ultimo_ingreso'])}",
            ],
        ),
        (_("Inscripciones"), lineas("inscripciones")),
        (_("Lecciones completadas"), lineas("lecciones_completadas")),
        (_("Intentos de evaluación"), lineas("intentos")),
        (_("Resultados de actividades H5P"), lineas("resultados_h5p")),
        (_("Certificados"), lineas("certificados")),
        (_("Asistencia a jornadas"), lineas("asistencias")),
        (
            _("Avisos"),
            [
                " · ".join(_texto(v) for v in fila.values())
                for fila in datos["avisos"]["lista"]
            ],
        ),
        (_("Solicitudes de rectificación"), lineas("solicitudes_rectificacion")),
        (_("Registro de auditoría sobre sus datos"), lineas("auditoria")),
    ]


def datos_pdf(datos: dict[str, Any]) -> bytes:
    estilos = getSampleStyleSheet()
    salida = io.BytesIO()
    documento = SimpleDocTemplate(
        salida,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=_("Mis datos personales"),
    )
    partes: list[Any] = [
        Paragraph(escape(_("Mis datos personales")), estilos["Title"]),
        Paragraph(
            escape(_("Generado el %(fecha)s.") % {"fecha": datos["generado_el"]}),
            estilos["Normal"],
        ),
    ]
    for titulo, lineas in _secciones(datos):
        partes.append(Paragraph(escape(titulo), estilos["Heading2"]))
        if not lineas:
            partes.append(Paragraph(escape(_("Ninguno.")), estilos["Normal"]))
            continue
        partes.append(
            ListFlowable(
                [ListItem(Paragraph(linea, estilos["Normal"])) for linea in lineas],
                bulletType="bullet",
            )
        )
    documento.build(partes)
    return salida.getvalue()
