"""Correos desde un trío de plantillas (STYLE.md §4): ``<base>-subject.html``,
``<base>-body-text.html`` y, si existe, ``<base>-body-html.html``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def correo_enviar(
    *,
    plantilla: str,
    destinatario: str,
    contexto: dict[str, Any],
    adjuntos: Iterable[tuple[str, bytes | str, str]] = (),
) -> None:
    """Envía el correo de ``plantilla`` (ruta base, p. ej. «tenants/emails/clave»).

    El asunto se deja en una sola línea; sin plantilla HTML el correo va solo en
    texto. ``adjuntos`` es una lista de (nombre, contenido, tipo MIME).
    """
    asunto = " ".join(render_to_string(f"{plantilla}-subject.html", contexto).split())
    texto = render_to_string(f"{plantilla}-body-text.html", contexto)
    mensaje = EmailMultiAlternatives(asunto, texto, to=[destinatario])
    try:
        html = render_to_string(f"{plantilla}-body-html.html", contexto)
    except TemplateDoesNotExist:
        html = None
    if html is not None:
        mensaje.attach_alternative(html, "text/html")
    for nombre, contenido, tipo in adjuntos:
        mensaje.attach(nombre, contenido, tipo)
    mensaje.send()
