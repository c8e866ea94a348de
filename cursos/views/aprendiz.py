"""Vistas de quien aprende: sus cursos, inscribirse, completar lecciones y el
resultado xAPI de una actividad H5P de la lección."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.h5p import bloques_h5p, resultado_registrar

from ..models import CursoPage, Inscripcion, LeccionPage
from ..selectors import avances, inscripcion_vigente
from ..services import inscripcion_crear, leccion_completar


@login_required
@require_POST
def inscribir(request, curso_id: int):
    curso = get_object_or_404(CursoPage, pk=curso_id)
    try:
        _inscripcion, creada = inscripcion_crear(usuario=request.user, curso=curso)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(curso.url)
    if creada:
        messages.success(request, _("Quedó inscrita o inscrito en «%s».") % curso.title)
    return redirect(curso.url)


@login_required
@require_POST
def completar_leccion(request, leccion_id: int):
    leccion = get_object_or_404(LeccionPage.objects.live(), pk=leccion_id)
    curso = CursoPage.objects.live().parent_of(leccion).first()
    if curso is None:
        raise Http404
    inscripcion = inscripcion_vigente(usuario=request.user, curso=curso)
    if inscripcion is None:
        raise Http404
    try:
        completo = leccion_completar(inscripcion=inscripcion, leccion=leccion)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(leccion.url)
    if completo:
        messages.success(
            request,
            _("¡Completó el curso «%s»! Su certificado está en camino.") % curso.title,
        )
        return redirect(curso.url)
    siguiente = (
        LeccionPage.objects.live()
        .sibling_of(leccion, inclusive=False)
        .filter(path__gt=leccion.path)
        .order_by("path")
        .first()
    )
    return redirect(siguiente.url if siguiente else curso.url)


@login_required
def mis_cursos(request):
    inscripciones = (
        Inscripcion.objects.filter(usuario=request.user)
        .select_related("curso")
        .order_by("-created_at")
    )
    return render(
        request, "cursos/mis_cursos.html", {"avances": avances(inscripciones)}
    )


def _error(mensaje: str, status: int) -> JsonResponse:
    return JsonResponse({"error": mensaje}, status=status)


def _porcentaje(puntaje) -> int | None:
    return None if puntaje is None else round(puntaje * 100)


@require_POST
def h5p_xapi(request, leccion_id: int, paquete_id: int):
    """Registra una declaración xAPI final de un paquete usado en la lección.

    404 si la lección no está publicada, el usuario no está inscrito en su curso o
    el paquete no está en un bloque H5P de la lección; 400 si la declaración no es
    válida. Si el puntaje alcanza el umbral del bloque, intenta completar la lección.
    """
    if not request.user.is_authenticated:
        return _error(_("Debe ingresar para registrar resultados."), 403)
    no_encontrada = _error(_("Actividad no encontrada."), 404)
    leccion = LeccionPage.objects.live().filter(pk=leccion_id).first()
    if leccion is None:
        return no_encontrada
    curso = CursoPage.objects.live().parent_of(leccion).first()
    inscripcion = curso and inscripcion_vigente(usuario=request.user, curso=curso)
    if inscripcion is None:
        return no_encontrada
    bloques = bloques_h5p(leccion, paquete_id)
    if not bloques:
        return no_encontrada
    if len(request.body) > getattr(settings, "H5P_XAPI_MAX_BYTES", 64 * 1024):
        return _error(_("La declaración xAPI es demasiado grande."), 400)
    try:
        declaracion = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        return _error(_("El cuerpo no es un JSON válido."), 400)
    try:
        resultado = resultado_registrar(
            usuario=request.user,
            paquete=bloques[0].value["paquete"],
            leccion=leccion,
            declaracion=declaracion,
        )
    except ValidationError as exc:
        return _error(" ".join(exc.messages), 400)

    aprobado = all(b.block.aprobada(request.user, b.value) for b in bloques)
    porcentaje = _porcentaje(resultado.puntaje_escalado)
    if aprobado:
        inscripcion.curso = curso
        try:
            leccion_completar(inscripcion=inscripcion, leccion=leccion)
            mensaje = _("¡Actividad aprobada! Su resultado quedó registrado.")
        except ValidationError as exc:
            mensaje = " ".join(
                [_("Actividad aprobada."), *exc.messages],
            )
    elif porcentaje is None:
        mensaje = _("Resultado registrado.")
    else:
        umbral = min(b.value.get("umbral") or 0 for b in bloques)
        mensaje = _(
            "Resultado registrado: %(p)s %%. Necesita %(u)s %% para aprobar; puede "
            "intentarlo de nuevo."
        ) % {"p": porcentaje, "u": _porcentaje(umbral)}
    return JsonResponse(
        {
            "aprobado": aprobado,
            "puntaje": (
                None
                if resultado.puntaje_escalado is None
                else float(resultado.puntaje_escalado)
            ),
            "mensaje": mensaje,
        }
    )
