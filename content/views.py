"""Vistas de content: paquetes H5P aislados y resultados xAPI de sus actividades."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from cursos.models import CursoPage, LeccionPage
from cursos.selectors import inscripcion_vigente
from cursos.services import leccion_completar

from .h5p import bloques_h5p, resultado_registrar, servicio


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


# --- Paquetes H5P en un origen opaco (content/h5p/servicio.py) ----------------------


def _solo_sin_host_de_paquetes() -> None:
    """Con un host de contenido, los paquetes se sirven solo allí, nunca aquí."""
    if servicio.host_paquetes():
        raise Http404


@xframe_options_exempt
@require_safe
def h5p_reproductor(request, carpeta: str):
    """Documento del iframe aislado; sin sesión: el iframe pide con origen null."""
    _solo_sin_host_de_paquetes()
    return servicio.reproductor_servir(request, carpeta=carpeta)


@xframe_options_exempt
@require_safe
def h5p_archivo(request, carpeta: str, ruta: str):
    _solo_sin_host_de_paquetes()
    return servicio.archivo_servir(request, carpeta=carpeta, ruta=ruta)


@xframe_options_exempt
@require_safe
def h5p_reproductor_estatico(request, ruta: str):
    _solo_sin_host_de_paquetes()
    return servicio.estatico_reproductor(request, ruta=ruta)
