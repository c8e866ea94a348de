"""Paquetes H5P servidos en un origen opaco (content/h5p/servicio.py).

El resultado xAPI de una actividad se registra en la lección: cursos/views/aprendiz.py.
"""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from . import servicio


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
