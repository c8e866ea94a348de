"""Ciclo de vida de un intento: iniciar, guardar respuestas, enviar y calificar."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from wagtail.models import Page

from lib.concurrencia import crear_o_recuperar

from .calificacion import porcentaje, puntaje_pregunta, sortear
from .models import Evaluacion, Intento, Opcion, Pregunta
from .signals import intento_aprobado, intentos_desde

logger = logging.getLogger(__name__)

# Margen para la latencia de red del último envío cuando hay tiempo límite.
GRACIA = timedelta(seconds=30)


def intento_vencido(intento: Intento, *, con_gracia: bool = True) -> bool:
    if intento.vence_at is None:
        return False
    limite = intento.vence_at + (GRACIA if con_gracia else timedelta(0))
    return timezone.now() > limite


def _sorteo(evaluacion: Evaluacion, semilla: int) -> list[dict[str, Any]]:
    reglas = [(r.categoria_id, r.cantidad) for r in evaluacion.reglas.all()]
    pool: dict[int, list[int]] = defaultdict(list)
    filas = Pregunta.objects.filter(
        activa=True, categoria_id__in=[c for c, _n in reglas]
    ).values_list("categoria_id", "id")
    for categoria_id, pregunta_id in filas:
        pool[categoria_id].append(pregunta_id)
    opciones: dict[int, list[int]] = defaultdict(list)
    ids = [p for lista in pool.values() for p in lista]
    for pregunta_id, opcion_id in (
        Opcion.objects.filter(pregunta_id__in=ids)
        .order_by("pregunta_id", "sort_order", "id")
        .values_list("pregunta_id", "id")
    ):
        opciones[pregunta_id].append(opcion_id)
    return sortear(
        semilla=semilla,
        pool=pool,
        reglas=reglas,
        opciones=opciones,
        barajar_preguntas=evaluacion.preguntas_aleatorias,
        barajar_opciones=evaluacion.opciones_aleatorias,
    )


def intento_iniciar(
    *, usuario: User, evaluacion: Evaluacion, leccion: Page | None = None
) -> Intento:
    """Devuelve el intento abierto o crea uno nuevo si las reglas lo permiten."""
    abierto = Intento.objects.filter(
        evaluacion=evaluacion, usuario=usuario, estado=Intento.Estado.ABIERTO
    ).first()
    if abierto is not None:
        if not intento_vencido(abierto):
            return abierto
        intento_enviar(intento_id=abierto.pk, usuario=usuario)
    todos = list(
        Intento.objects.filter(evaluacion=evaluacion, usuario=usuario).order_by(
            "numero"
        )
    )
    # En un ciclo nuevo del curso solo cuentan los intentos de ese ciclo.
    desde = intentos_desde(usuario=usuario, curso_id=evaluacion.curso_id)
    previos = [i for i in todos if desde is None or i.iniciado_at >= desde]
    if any(i.aprobado for i in previos):
        raise ValidationError(_("Ya aprobó esta evaluación."), code="aprobada")
    if len(previos) >= evaluacion.intentos_max:
        raise ValidationError(
            _("Ya usó los %(n)s intentos permitidos.") % {"n": evaluacion.intentos_max},
            code="sin_intentos",
        )
    if previos and evaluacion.espera_min:
        # Todos los previos están calificados: el abierto se envió más arriba.
        assert previos[-1].calificado_at is not None
        disponible = previos[-1].calificado_at + timedelta(
            minutes=evaluacion.espera_min
        )
        if timezone.now() < disponible:
            hora = time_format(timezone.localtime(disponible), "H:i")
            raise ValidationError(
                _("Podrá intentarlo de nuevo a partir de las %(hora)s.")
                % {"hora": hora},
                code="espera",
            )
    semilla = secrets.randbits(48)
    preguntas = _sorteo(evaluacion, semilla)
    if not preguntas:
        raise ValidationError(
            _("La evaluación aún no tiene preguntas disponibles."), code="vacia"
        )
    ahora = timezone.now()
    vence_at = (
        ahora + timedelta(minutes=evaluacion.tiempo_limite_min)
        if evaluacion.tiempo_limite_min
        else None
    )
    # Doble clic en «Comenzar»: la restricción de un solo intento abierto manda.
    intento, _creado = crear_o_recuperar(
        lambda: Intento.objects.create(
            evaluacion=evaluacion,
            usuario=usuario,
            numero=(todos[-1].numero if todos else 0) + 1,
            semilla=semilla,
            preguntas=preguntas,
            vence_at=vence_at,
            leccion=leccion,
        ),
        lambda: Intento.objects.get(
            evaluacion=evaluacion, usuario=usuario, estado=Intento.Estado.ABIERTO
        ),
    )
    return intento


def _respuestas_validar(intento: Intento, respuestas: dict[str, Any]) -> dict[str, Any]:
    """Rechaza preguntas u opciones ajenas al intento (manipulación del formulario)."""
    mostradas = {str(p["pregunta"]): set(p["opciones"]) for p in intento.preguntas}
    pareo = {
        str(pk)
        for pk in Pregunta.objects.filter(
            pk__in=[int(k) for k in mostradas], tipo=Pregunta.Tipo.PAREO
        ).values_list("pk", flat=True)
    }
    limpias: dict[str, Any] = {}
    error = ValidationError(
        _("La respuesta no corresponde a las preguntas de este intento."),
        code="manipulada",
    )
    for clave, valor in respuestas.items():
        clave = str(clave)
        if clave not in mostradas:
            raise error
        if valor in (None, "", [], {}):
            # Pregunta desmarcada: se borra lo autoguardado antes.
            limpias[clave] = {} if clave in pareo else []
        elif clave in pareo:
            if not isinstance(valor, dict):
                raise error
            try:
                ids = {int(op) for op in valor}
            except (TypeError, ValueError) as exc:
                raise error from exc
            if not ids <= mostradas[clave]:
                raise error
            limpias[clave] = {str(k): str(v) for k, v in valor.items()}
        else:
            try:
                elegidas = [
                    int(x) for x in (valor if isinstance(valor, list) else [valor])
                ]
            except (TypeError, ValueError) as exc:
                raise error from exc
            if not set(elegidas) <= mostradas[clave]:
                raise error
            limpias[clave] = elegidas
    return limpias


def respuestas_guardar(*, intento: Intento, respuestas: dict[str, Any]) -> Intento:
    """Autoguardado: mezcla las respuestas recibidas con las ya guardadas."""
    with transaction.atomic():
        bloqueado = Intento.objects.select_for_update().get(pk=intento.pk)
        if bloqueado.estado != Intento.Estado.ABIERTO or intento_vencido(
            bloqueado, con_gracia=False
        ):
            raise ValidationError(
                _("El intento ya está cerrado; no se guardaron cambios."),
                code="cerrado",
            )
        bloqueado.respuestas = {
            **bloqueado.respuestas,
            **_respuestas_validar(bloqueado, respuestas),
        }
        bloqueado.save(update_fields=["respuestas"])
    return bloqueado


def _calificar(intento: Intento) -> None:
    ids = [p["pregunta"] for p in intento.preguntas]
    tipos = dict(Pregunta.objects.filter(pk__in=ids).values_list("pk", "tipo"))
    opciones: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for o in Opcion.objects.filter(pregunta_id__in=ids).values(
        "id", "pregunta_id", "es_correcta", "pareja"
    ):
        opciones[o["pregunta_id"]].append(o)
    detalle = {
        str(pk): puntaje_pregunta(
            tipo=tipos.get(pk, ""),
            opciones=opciones[pk],
            respuesta=intento.respuestas.get(str(pk)),
        )
        for pk in ids
    }
    intento.detalle = detalle
    intento.puntaje = porcentaje(list(detalle.values()))
    intento.aprobado = intento.puntaje >= intento.evaluacion.nota_aprobacion
    intento.estado = Intento.Estado.CALIFICADO
    intento.calificado_at = timezone.now()
    intento.save(
        update_fields=["detalle", "puntaje", "aprobado", "estado", "calificado_at"]
    )


def _sin_respuestas(respuestas: dict[str, Any]) -> bool:
    return not any(v not in (None, "", [], {}) for v in respuestas.values())


def intento_enviar(
    *,
    intento_id: int,
    usuario: User | int,
    respuestas: dict[str, Any] | None = None,
    vacio_confirmado: bool = True,
) -> Intento:
    """Cierra y califica el intento. Idempotente ante dobles clics y reenvíos.

    Con ``vacio_confirmado=False`` (el botón «Enviar» de la persona), un intento sin
    ninguna respuesta no se califica ni gasta la oportunidad: lanza ValidationError
    con código «vacio» para que la vista pida confirmación. El cierre por tiempo
    agotado califica siempre.

    La fila se bloquea con SELECT … FOR UPDATE: de N envíos simultáneos, el primero
    califica y los demás encuentran el intento ya calificado y lo devuelven tal cual.
    Si el tiempo (más la gracia) se agotó, las respuestas de este envío se ignoran y
    cuenta lo autoguardado.
    """
    with transaction.atomic():
        intento = (
            Intento.objects.select_for_update()
            .select_related("evaluacion")
            .get(pk=intento_id, usuario=usuario)
        )
        if intento.estado == Intento.Estado.CALIFICADO:
            return intento
        vencido = intento_vencido(intento)
        if respuestas and not vencido:
            intento.respuestas = {
                **intento.respuestas,
                **_respuestas_validar(intento, respuestas),
            }
            intento.save(update_fields=["respuestas"])
        if not vacio_confirmado and not vencido and _sin_respuestas(intento.respuestas):
            raise ValidationError(
                _(
                    "No respondió ninguna pregunta. Si envía así, el intento se "
                    "califica con 0 % y cuenta como usado."
                ),
                code="vacio",
            )
        _calificar(intento)
        if intento.aprobado:
            intento_aprobado.send(sender=Intento, intento=intento)
    logger.info("Intento %s calificado", intento.pk)
    return intento


def intentos_vencidos_cerrar() -> int:
    """Califica los intentos abiertos cuyo tiempo (con gracia) ya pasó."""
    limite = timezone.now() - GRACIA
    cerrados = 0
    pendientes = Intento.objects.filter(
        estado=Intento.Estado.ABIERTO, vence_at__lt=limite
    ).values_list("pk", "usuario_id")
    for pk, usuario_id in pendientes:
        intento_enviar(intento_id=pk, usuario=usuario_id)
        cerrados += 1
    return cerrados
