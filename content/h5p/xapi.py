"""Resultados xAPI de las actividades H5P: validación, registro y aprobación."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from ..models import PaqueteH5P, ResultadoH5P
from .calificacion import puntaje_recalcular
from .validacion import rechazo

VERBO_BASE = "http://adlnet.gov/expapi/verbs/"
VERBOS_FINALES = frozenset(
    VERBO_BASE + v for v in ("answered", "completed", "passed", "failed")
)


def actividad_iri(leccion, paquete_id: int) -> str:
    """Identificador xAPI (object.id) de un paquete dentro de una lección.

    Regla: URL absoluta de la lección según su Site + ``#h5p-<paquete_id>``. El
    reproductor la recibe como ``xAPIObjectIRI`` y el servidor exige que la
    declaración la traiga tal cual; no depende del host con que se abrió la página.
    """
    return f"{leccion.get_full_url()}#h5p-{paquete_id}"


def bloques_h5p(leccion, paquete_id: int) -> list:
    """Bloques H5P publicados de la lección que usan el paquete."""
    return [
        bloque
        for bloque in leccion.cuerpo
        if getattr(bloque.block, "es_h5p", False)
        and bloque.value.get("paquete") is not None
        and bloque.value["paquete"].pk == paquete_id
    ]


def _numero(valor: Any, campo: str) -> Decimal | None:
    if valor is None:
        return None
    if isinstance(valor, bool) or not isinstance(valor, int | float):
        raise rechazo(
            _("result.score.%(c)s debe ser un número.") % {"c": campo}, "puntaje"
        )
    try:
        return Decimal(str(valor))
    except InvalidOperation:
        raise rechazo(
            _("result.score.%(c)s debe ser un número.") % {"c": campo}, "puntaje"
        ) from None


def declaracion_interpretar(declaracion: Any, *, iri: str) -> dict:
    """Extrae verbo, puntaje escalado y éxito de una declaración xAPI final."""
    if not isinstance(declaracion, dict):
        raise rechazo(_("La declaración xAPI debe ser un objeto JSON."), "json")
    verbo = declaracion.get("verb")
    verbo_id = verbo.get("id") if isinstance(verbo, dict) else None
    if not isinstance(verbo_id, str) or not verbo_id:
        raise rechazo(_("A la declaración le falta el verbo (verb.id)."), "verbo")
    if verbo_id not in VERBOS_FINALES:
        raise rechazo(
            _("Solo se registran los verbos answered, completed, passed y failed."),
            "verbo",
        )
    objeto = declaracion.get("object")
    if not isinstance(objeto, dict) or objeto.get("id") != iri:
        raise rechazo(
            _("La declaración no corresponde a esta actividad (object.id)."),
            "actividad",
        )
    contexto = declaracion.get("context") or {}
    if isinstance(contexto, dict) and (contexto.get("contextActivities") or {}).get(
        "parent"
    ):
        raise rechazo(
            _("Las declaraciones de subactividades no se registran."), "actividad"
        )
    resultado = declaracion.get("result") or {}
    score = (resultado.get("score") or {}) if isinstance(resultado, dict) else None
    if not isinstance(score, dict):
        raise rechazo(_("result.score debe ser un objeto."), "puntaje")
    escalado = _numero(score.get("scaled"), "scaled")
    bruto = _numero(score.get("raw"), "raw")
    maximo = _numero(score.get("max"), "max")
    minimo = _numero(score.get("min"), "min") or Decimal(0)
    if escalado is not None and not Decimal(0) <= escalado <= Decimal(1):
        raise rechazo(_("El puntaje escalado debe estar entre 0 y 1."), "puntaje")
    if bruto is not None and maximo is not None:
        if not minimo <= bruto <= maximo:
            raise rechazo(
                _("El puntaje obtenido no puede superar el máximo."), "puntaje"
            )
        if escalado is None and maximo > 0:
            escalado = bruto / maximo
    exito = resultado.get("success")
    if exito is not None and not isinstance(exito, bool):
        raise rechazo(_("result.success debe ser verdadero o falso."), "exito")
    if escalado is not None:
        escalado = escalado.quantize(Decimal("0.0001"))
    return {"verbo": verbo_id, "puntaje_escalado": escalado, "exito": exito}


def resultado_registrar(
    *, usuario, paquete: PaqueteH5P, leccion, declaracion: Any
) -> ResultadoH5P:
    """Guarda una declaración final validada contra la actividad de la lección.

    Para los tipos de contenido propios, puntaje y éxito los calcula el servidor
    (content/h5p/calificacion.py); los de la declaración solo quedan en ella.
    """
    datos = declaracion_interpretar(declaracion, iri=actividad_iri(leccion, paquete.pk))
    recalculado = puntaje_recalcular(paquete=paquete, declaracion=declaracion)
    if recalculado is not None:
        datos.update(recalculado)
    return ResultadoH5P.objects.create(
        usuario=usuario,
        paquete=paquete,
        leccion=leccion,
        declaracion=declaracion,
        **datos,
    )


def resultado_mejor(*, usuario, paquete: PaqueteH5P, leccion=None) -> Decimal | None:
    """Mejor puntaje escalado del usuario en el paquete (y en la lección, si se da)."""
    filas = ResultadoH5P.objects.filter(usuario=usuario, paquete=paquete)
    if leccion is not None:
        filas = filas.filter(leccion=leccion)
    return filas.aggregate(mejor=Max("puntaje_escalado"))["mejor"]


def paquete_aprobado(*, usuario, paquete: PaqueteH5P, umbral: Decimal) -> bool:
    """Aprobado si algún resultado alcanza el umbral.

    ``success`` cuenta solo cuando la declaración no trae puntaje: si lo trae, manda
    el umbral del bloque (el del contenido H5P podría ser más bajo).
    """
    if not getattr(usuario, "is_authenticated", False):
        return False
    return ResultadoH5P.objects.filter(
        Q(puntaje_escalado__gte=umbral) | Q(puntaje_escalado__isnull=True, exito=True),
        usuario=usuario,
        paquete=paquete,
    ).exists()
