"""Parámetros comunes de una petición."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone


def anio_pedido(request: HttpRequest) -> int:
    """El año de ``?anio=`` (o del formulario); si falta o no es número, el actual."""
    try:
        return int(request.GET.get("anio") or request.POST.get("anio") or "")
    except (TypeError, ValueError):
        return timezone.localdate().year
