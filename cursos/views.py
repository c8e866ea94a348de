from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import CursoPage, Inscripcion, LeccionPage
from .selectors import avances, inscripcion_vigente
from .services import inscripcion_crear, leccion_completar


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
