"""Puntaje recalculado en el servidor para los tipos de contenido propios.

Una declaración xAPI la arma el navegador, y el código del paquete (o quien escriba
a mano en la consola) puede decir ``passed`` con ``scaled: 1`` sin haber jugado.
Para los tipos de contenido del proyecto (h5p_fuente/) el servidor no cree el
puntaje: lo recalcula desde la respuesta enviada (``result.response``) y el
``content.json`` del paquete. Los tipos de terceros no se pueden recalcular: su
resultado puede completar una lección, pero nunca reemplaza una evaluación
calificada en el servidor en la regla de completitud del curso
(cursos.services.requisitos_cumplidos).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ..models import PaqueteH5P
from .validacion import rechazo

_MAX_CONTENT_JSON = 1024 * 1024


def _content_json(paquete: PaqueteH5P) -> dict:
    ruta = Path(default_storage.path(paquete.carpeta)) / "content" / "content.json"
    try:
        if ruta.stat().st_size > _MAX_CONTENT_JSON:
            raise ValueError
        datos = json.loads(ruta.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        datos = None
    if not isinstance(datos, dict):
        raise rechazo(
            _("No se pudo leer el contenido del paquete para calificar la respuesta."),
            "contenido",
        )
    return datos


def _verdadero_falso(contenido: dict, respuesta: str) -> Decimal:
    """H5P.CapacitaVerdaderoFalso: interacción true-false, 1 o 0."""
    if respuesta not in ("true", "false"):
        raise rechazo(
            _("La respuesta debe ser «true» o «false» (result.response)."),
            "respuesta",
        )
    correcta = contenido.get("correcta")
    if not isinstance(correcta, bool):
        raise rechazo(
            _("El contenido del paquete no define la respuesta correcta."),
            "contenido",
        )
    return Decimal(1) if (respuesta == "true") == correcta else Decimal(0)


CALIFICADORES: dict[str, Callable[[dict, str], Decimal]] = {
    "H5P.CapacitaVerdaderoFalso": _verdadero_falso,
}


def tipo_propio(paquete: PaqueteH5P) -> bool:
    """¿El servidor sabe calificar la biblioteca principal del paquete?"""
    return paquete.biblioteca_principal.split(" ", 1)[0] in CALIFICADORES


def puntaje_recalcular(*, paquete: PaqueteH5P, declaracion: Any) -> dict | None:
    """Puntaje y éxito calculados en el servidor; None si el tipo es de terceros.

    Sin ``result.response`` la declaración se rechaza: un ``passed`` con
    ``scaled: 1`` sin respuesta no prueba nada. Con una respuesta equivocada, el
    resultado queda con puntaje 0, diga lo que diga ``result.score``.
    """
    calificar = CALIFICADORES.get(paquete.biblioteca_principal.split(" ", 1)[0])
    if calificar is None:
        return None
    resultado = declaracion.get("result") if isinstance(declaracion, dict) else None
    respuesta = resultado.get("response") if isinstance(resultado, dict) else None
    if not isinstance(respuesta, str) or not respuesta.strip():
        raise rechazo(
            _(
                "La declaración no trae la respuesta (result.response); sin ella no "
                "se puede calificar esta actividad."
            ),
            "respuesta",
        )
    puntaje = calificar(_content_json(paquete), respuesta.strip().lower())
    return {
        "puntaje_escalado": puntaje.quantize(Decimal("0.0001")),
        "exito": puntaje >= 1,
    }
