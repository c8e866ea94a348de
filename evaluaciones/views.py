from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from tenants.roles import Rol, rol_requerido

from .models import Evaluacion, Intento
from .selectors import intento_presentar, intentos_de, revision_visible
from .services import (
    intento_enviar,
    intento_iniciar,
    intento_vencido,
    respuestas_guardar,
)
from .signals import acceso_permitido


def _evaluacion_accesible(request, evaluacion_id: int) -> Evaluacion:
    """Una evaluación final exige estar inscrito en su curso."""
    evaluacion = get_object_or_404(Evaluacion, pk=evaluacion_id)
    if evaluacion.curso_id is not None:
        if not acceso_permitido(usuario=request.user, curso_id=evaluacion.curso_id):
            raise Http404
    return evaluacion


def _intento_propio(request, intento_id: int) -> Intento:
    return get_object_or_404(
        Intento.objects.select_related("evaluacion"),
        pk=intento_id,
        usuario=request.user,
    )


@login_required
def detalle(request, evaluacion_id: int):
    evaluacion = _evaluacion_accesible(request, evaluacion_id)
    intentos = list(intentos_de(usuario=request.user, evaluacion=evaluacion))
    return render(
        request,
        "evaluaciones/evaluacion.html",
        {
            "evaluacion": evaluacion,
            "intentos": intentos,
            "restantes": max(0, evaluacion.intentos_max - len(intentos)),
            "leccion_id": request.GET.get("leccion", ""),
        },
    )


@login_required
@require_POST
def iniciar(request, evaluacion_id: int):
    evaluacion = _evaluacion_accesible(request, evaluacion_id)
    leccion = None
    if request.POST.get("leccion"):
        leccion_id = request.POST["leccion"]
        if not leccion_id.isdecimal() or not acceso_permitido(
            usuario=request.user, leccion_id=int(leccion_id)
        ):
            raise Http404
        leccion = Page.objects.get(pk=leccion_id).specific
    try:
        intento = intento_iniciar(
            usuario=request.user, evaluacion=evaluacion, leccion=leccion
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluaciones:detalle", evaluacion_id=evaluacion.pk)
    return redirect("evaluaciones:intento", intento_id=intento.pk)


@login_required
def intento(request, intento_id: int):
    actual = _intento_propio(request, intento_id)
    if actual.estado == Intento.Estado.ABIERTO and intento_vencido(actual):
        intento_enviar(intento_id=actual.pk, usuario=request.user)
        messages.warning(request, _("Se acabó el tiempo: su intento fue calificado."))
    if actual.estado != Intento.Estado.ABIERTO or intento_vencido(actual):
        return redirect("evaluaciones:resultado", intento_id=actual.pk)
    return _intento_render(request, actual)


def _intento_render(request, actual: Intento, *, confirmar_vacio: str = ""):
    restante = None
    if actual.vence_at is not None:
        restante = max(0, int((actual.vence_at - timezone.now()).total_seconds()))
    return render(
        request,
        "evaluaciones/intento.html",
        {
            "intento": actual,
            "preguntas": intento_presentar(actual),
            "restante": restante,
            "confirmar_vacio": confirmar_vacio,
        },
    )


def respuestas_desde_post(intento_obj: Intento, datos) -> dict:
    """Convierte el formulario (p<id>, p<id>_<opcion>) en el dict de respuestas.

    Trae todas las preguntas del intento: una que llega vacía fue desmarcada y borra
    lo autoguardado antes.
    """
    respuestas: dict = {}
    for item in intento_obj.preguntas:
        pk = item["pregunta"]
        pares = {
            str(op): datos[f"p{pk}_{op}"]
            for op in item["opciones"]
            if datos.get(f"p{pk}_{op}")
        }
        respuestas[str(pk)] = pares or datos.getlist(f"p{pk}")
    return respuestas


@login_required
@require_POST
def guardar(request, intento_id: int):
    actual = _intento_propio(request, intento_id)
    try:
        datos = json.loads(request.body or b"{}")
        if not isinstance(datos, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"error": _("Solicitud mal formada.")}, status=400)
    try:
        respuestas_guardar(intento=actual, respuestas=datos)
    except ValidationError as exc:
        estado = 409 if getattr(exc, "code", None) == "cerrado" else 400
        return JsonResponse({"error": " ".join(exc.messages)}, status=estado)
    return JsonResponse({"guardado": True})


@login_required
@require_POST
def enviar(request, intento_id: int):
    actual = _intento_propio(request, intento_id)
    try:
        intento_enviar(
            intento_id=actual.pk,
            usuario=request.user,
            respuestas=respuestas_desde_post(actual, request.POST),
            vacio_confirmado=request.POST.get("confirmar_vacio") == "1",
        )
    except ValidationError as exc:
        if exc.code == "vacio":
            # Nada se calificó: se vuelve al intento con la pregunta de confirmación.
            return _intento_render(request, actual, confirmar_vacio=exc.messages[0])
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluaciones:intento", intento_id=actual.pk)
    return redirect("evaluaciones:resultado", intento_id=actual.pk)


@login_required
def resultado(request, intento_id: int):
    actual = _intento_propio(request, intento_id)
    if actual.estado != Intento.Estado.CALIFICADO:
        return redirect("evaluaciones:intento", intento_id=actual.pk)
    revision = revision_visible(actual)
    volver = None
    if actual.leccion_id:
        volver = actual.leccion.url
    elif actual.evaluacion.curso_id:
        volver = actual.evaluacion.curso.url
    return render(
        request,
        "evaluaciones/resultado.html",
        {
            "intento": actual,
            "revision": intento_presentar(actual, con_solucion=True)
            if revision
            else None,
            "volver": volver or reverse("cursos:mis_cursos"),
        },
    )


@rol_requerido(Rol.ENCARGADO)
def encargado_intentos(request):
    intentos = (
        Intento.objects.filter(estado=Intento.Estado.CALIFICADO)
        .select_related("evaluacion", "usuario")
        .order_by("-calificado_at")
    )
    evaluacion_id = request.GET.get("evaluacion")
    if evaluacion_id and evaluacion_id.isdigit():
        intentos = intentos.filter(evaluacion_id=evaluacion_id)
    return render(
        request,
        "evaluaciones/encargado_intentos.html",
        {"intentos": intentos[:500], "evaluaciones": Evaluacion.objects.all()},
    )
