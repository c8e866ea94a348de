"""Reglas de forma de una pregunta: funciones puras, sin base de datos.

Las usan el formulario del administrador, la importación desde xlsx y la carga del
currículo, así una pregunta que nunca se podría contestar bien no se guarda por
ninguna de las tres vías.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

UNA_CORRECTA = {"unica", "vf"}


def opciones_errores(*, tipo: str, opciones: list[dict]) -> list[str]:
    """Errores de las opciones de una pregunta, en español; lista vacía si está bien.

    ``opciones`` son dicts con ``texto``, ``es_correcta`` y ``pareja`` (pareo).
    """
    usadas = [o for o in opciones if (o.get("texto") or "").strip()]
    if len(usadas) < 2:
        return [_("La pregunta necesita al menos dos opciones.")]
    if tipo == "pareo":
        if any(not (o.get("pareja") or "").strip() for o in usadas):
            return [_("En una pregunta de pareo cada término necesita su pareja.")]
        return []
    correctas = sum(1 for o in usadas if o.get("es_correcta"))
    if tipo in UNA_CORRECTA and correctas != 1:
        if correctas == 0:
            return [
                _(
                    "Marque una opción correcta: sin ella la pregunta nunca se puede "
                    "responder bien y la evaluación no se puede aprobar."
                )
            ]
        return [_("Este tipo de pregunta admite una sola opción correcta.")]
    if tipo == "multiple" and correctas == 0:
        return [_("Marque al menos una opción correcta.")]
    return []
