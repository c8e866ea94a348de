"""Paquetes H5P servidos en un origen opaco (DESIGN.md §6, «Content isolation»).

El código de un paquete nunca corre en el origen del tenant. La lección lo enmarca en
un ``<iframe sandbox="allow-scripts">`` (sin ``allow-same-origin``) cuyo documento, el
reproductor, lo genera esta vista; cada archivo del paquete sale de aquí con:

- ``Content-Security-Policy: sandbox allow-scripts`` y una política que solo admite el
  propio paquete y el reproductor (abrir un archivo directamente tampoco corre nada
  en el origen del tenant);
- ``Access-Control-Allow-Origin: *`` sin credenciales: el iframe tiene origen
  ``null`` y sus pedidos son CORS sin cookies, así que se autoriza por host (tenant)
  y por la carpeta impredecible del paquete, nunca por sesión;
- ``X-Content-Type-Options: nosniff`` y un tipo fijo por extensión; lo que no es
  recurso de un reproductor (documentos, XML, HTML) sale como ``text/plain`` adjunto.

Con ``CAPACITA_X_ACCEL_PAQUETES`` el archivo lo entrega nginx (X-Accel-Redirect); con
``CAPACITA_HOST_PAQUETES`` la misma vista atiende en un host de contenido sin las
cookies del tenant (docs/operations.md).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
)
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..models import PaqueteH5P

PREFIJO = "/h5p/paquetes/"
PREFIJO_REPRODUCTOR = "/h5p/reproductor/"
_CARPETA = re.compile(r"^[0-9a-f]{32}$")
_ID_BLOQUE = re.compile(r"^h5p-[A-Za-z0-9_-]{1,80}$")
_SCHEMA = re.compile(r"^[a-z0-9_]{1,63}$")

# Lo que un reproductor H5P carga como recurso. El resto (txt, pdf, docx, csv…) sale
# como texto adjunto: el navegador lo descarga y no lo interpreta.
TIPOS_EN_LINEA = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    # SVG solo como imagen que usa el CSS; lleva la misma CSP sandbox que el resto.
    "svg": "image/svg+xml",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
}
# Archivos del reproductor que el iframe puede pedir (h5p-standalone y el propio).
_REPRODUCTOR_ESTATICOS = {"reproductor.js": "js/h5p-reproductor.js"}


# --- Hosts y URL -------------------------------------------------------------------


def host_paquetes() -> str:
    return (getattr(settings, "CAPACITA_HOST_PAQUETES", "") or "").strip().lower()


def _sin_puerto(host: str) -> str:
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def es_host_paquetes(request: HttpRequest) -> bool:
    host = host_paquetes()
    if not host:
        return False
    return _sin_puerto(request.get_host().lower()) == _sin_puerto(host)


def origen_paquetes(request: HttpRequest) -> str:
    """Origen (esquema://host[:puerto]) donde el navegador pide los paquetes.

    Sin host de contenido, el del propio tenant. Con él, ese host; si no trae puerto,
    se usa el de la petición (así funciona igual con runserver en otro puerto).
    """
    host = host_paquetes()
    if not host:
        return f"{request.scheme}://{request.get_host()}"
    if ":" not in host:
        actual = request.get_host()
        if ":" in actual and not actual.endswith("]"):
            host = f"{host}:{actual.rsplit(':', 1)[1]}"
    return f"{request.scheme}://{host}"


def _prefijo_tenant() -> str:
    """En el host de contenido, la ruta lleva el schema; en el del tenant, no."""
    if host_paquetes():
        return f"{PREFIJO}{connection.schema_name}/"
    return PREFIJO


def url_paquete(request: HttpRequest, paquete: PaqueteH5P) -> str:
    """URL absoluta de la carpeta del paquete (termina en «/»)."""
    carpeta = paquete.carpeta.removeprefix("h5p/")
    return f"{origen_paquetes(request)}{_prefijo_tenant()}{carpeta}/"


def url_reproductor(
    request: HttpRequest, paquete: PaqueteH5P, *, iri: str, h5p_id: str
) -> str:
    """URL del documento reproductor que la lección pone en su iframe aislado.

    En el host del tenant va sin esquema ni host: así no depende de que el proxy
    informe bien https (una URL http en una página https no cargaría).
    """
    base = url_paquete(request, paquete)
    if not host_paquetes():
        base = base.removeprefix(origen_paquetes(request))
    return f"{base}?actividad={quote(iri, safe='')}&id={quote(h5p_id, safe='')}"


# --- Cabeceras ---------------------------------------------------------------------


def _origenes_tenant(request: HttpRequest) -> list[str]:
    """Quién puede enmarcar el reproductor: las páginas del tenant."""
    if not es_host_paquetes(request):
        return [f"{request.scheme}://{request.get_host()}"]
    # Los archivos del reproductor no son de ningún tenant (schema public, sin
    # dominios propios): no son documentos que alguien enmarque.
    tenant = getattr(connection, "tenant", None)
    if tenant is None or not hasattr(tenant, "domains"):
        return []
    dominios = tenant.domains.values_list("domain", flat=True)
    return [f"{request.scheme}://{d}:*" for d in dominios] + [
        f"{request.scheme}://{d}" for d in dominios
    ]


def politica_paquete(request: HttpRequest, base: str) -> str:
    """CSP de todo lo que sale de un paquete: sandbox y solo paquete + reproductor."""
    reproductor = f"{origen_paquetes(request)}{PREFIJO_REPRODUCTOR}"
    fuentes = f"{base} {reproductor}"
    ancestros = " ".join(_origenes_tenant(request)) or "'none'"
    return "; ".join(
        [
            "sandbox allow-scripts",
            "default-src 'none'",
            f"script-src {fuentes}",
            # H5P y jQuery fijan estilos en línea.
            f"style-src {fuentes} 'unsafe-inline'",
            f"img-src {fuentes} data: blob:",
            f"font-src {fuentes} data:",
            f"media-src {base} data: blob:",
            f"connect-src {base}",
            "frame-src 'none'",
            "worker-src 'none'",
            "object-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
            f"frame-ancestors {ancestros}",
        ]
    )


def _aislar(response: HttpResponse, politica: str) -> HttpResponse:
    response["Content-Security-Policy"] = politica
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    # El iframe tiene origen null: «same-site» bloquearía cada recurso.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Referrer-Policy"] = "no-referrer"
    # Permite el iframe: X_FRAME_OPTIONS = DENY vale para el resto del sitio; quién
    # puede enmarcar lo dice frame-ancestors.
    response.xframe_options_exempt = True
    return response


# --- Archivos ----------------------------------------------------------------------


def paquete_del_tenant(carpeta: str) -> PaqueteH5P:
    """El paquete de esa carpeta en el schema activo, o 404 (otro tenant, inventado)."""
    if not _CARPETA.match(carpeta or ""):
        raise Http404
    paquete = PaqueteH5P.objects.filter(carpeta=f"h5p/{carpeta}").first()
    if paquete is None:
        raise Http404
    return paquete


def _ruta_segura(ruta: str) -> PurePosixPath:
    partes = ruta.split("/")
    if (
        not ruta
        or "\\" in ruta
        or "\0" in ruta
        or any(p in ("", ".", "..") or p.startswith(".") for p in partes)
    ):
        raise Http404
    return PurePosixPath(*partes)


def _tipo(nombre: str) -> tuple[str, bool]:
    """(Content-Type, en_linea) por extensión; lo desconocido, texto adjunto."""
    extension = PurePosixPath(nombre).suffix.lower().lstrip(".")
    if extension in TIPOS_EN_LINEA:
        return TIPOS_EN_LINEA[extension], True
    return "text/plain; charset=utf-8", False


def _biblioteca_propia(relativa: PurePosixPath) -> Path | None:
    """El archivo de una biblioteca propia (h5p_fuente/bibliotecas/), si lo es.

    Un paquete trae su copia de H5P.CapacitaVerdaderoFalso, quizás vieja (sin
    ``result.response``, que el servidor exige para calificar) o alterada: se sirve
    siempre la versión del proyecto, la que el servidor sabe calificar.
    """
    if len(relativa.parts) < 2:
        return None
    base = (Path(settings.BASE_DIR) / "h5p_fuente" / "bibliotecas").resolve()
    carpeta = (base / relativa.parts[0]).resolve()
    if carpeta.parent != base or not carpeta.is_dir():
        return None
    archivo = carpeta.joinpath(*relativa.parts[1:]).resolve()
    return archivo if archivo.is_relative_to(carpeta) and archivo.is_file() else None


def archivo_servir(request: HttpRequest, *, carpeta: str, ruta: str) -> HttpResponse:
    """Un archivo del paquete, tras comprobar que el paquete es del tenant."""
    paquete = paquete_del_tenant(carpeta)
    relativa = _ruta_segura(ruta)
    raiz = Path(default_storage.path(paquete.carpeta)).resolve()
    archivo = (raiz / relativa).resolve()
    if not archivo.is_relative_to(raiz) or not archivo.is_file():
        raise Http404
    tipo, en_linea = _tipo(relativa.name)
    accel = getattr(settings, "CAPACITA_X_ACCEL_PAQUETES", "") or ""
    propia = _biblioteca_propia(relativa)
    if propia is not None:
        response = FileResponse(propia.open("rb"), content_type=tipo)
    elif accel:
        response = HttpResponse(content_type=tipo)
        interna = f"{connection.schema_name}/{paquete.carpeta}/{relativa.as_posix()}"
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(interna)
    else:
        response = FileResponse(archivo.open("rb"), content_type=tipo)
    if not en_linea:
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(relativa.name, safe='')}"
        )
    # La carpeta de un paquete no cambia: otro archivo subido es otra carpeta.
    response["Cache-Control"] = "max-age=3600"
    return _aislar(response, politica_paquete(request, url_paquete(request, paquete)))


def reproductor_servir(request: HttpRequest, *, carpeta: str) -> HttpResponse:
    """El documento que corre el paquete dentro del iframe aislado."""
    paquete = paquete_del_tenant(carpeta)
    iri = request.GET.get("actividad", "")
    h5p_id = request.GET.get("id", "")
    if not iri or len(iri) > 1000 or not _ID_BLOQUE.match(h5p_id):
        raise Http404
    base = url_paquete(request, paquete)
    reproductor = f"{origen_paquetes(request)}{PREFIJO_REPRODUCTOR}"
    html = render_to_string(
        "content/h5p_reproductor.html",
        {
            "paquete": paquete,
            "base": base,
            "reproductor": reproductor,
            "iri": iri,
            "h5p_id": h5p_id,
        },
        request=None,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return _aislar(response, politica_paquete(request, base))


def estatico_reproductor(request: HttpRequest, *, ruta: str) -> HttpResponse:
    """h5p-standalone y reproductor.js, con las cabeceras que necesita el iframe."""
    relativa = _ruta_segura(ruta).as_posix()
    if relativa in _REPRODUCTOR_ESTATICOS:
        encontrado = finders.find(_REPRODUCTOR_ESTATICOS[relativa])
    elif relativa.startswith("h5p-standalone/"):
        encontrado = finders.find("vendor/" + relativa)
    else:
        encontrado = None
    if not encontrado:
        raise Http404
    tipo, en_linea = _tipo(relativa)
    if not en_linea:
        raise Http404
    response = FileResponse(open(encontrado, "rb"), content_type=tipo)
    response["Cache-Control"] = "max-age=3600"
    base = f"{origen_paquetes(request)}{PREFIJO_REPRODUCTOR}"
    return _aislar(response, politica_paquete(request, base))


# --- Host de contenido -------------------------------------------------------------

_RUTA_HOST = re.compile(
    r"^/h5p/paquetes/(?P<schema>[a-z0-9_]{1,63})/(?P<carpeta>[0-9a-f]{32})/"
    r"(?P<ruta>.*)$"
)


class HostPaquetesMiddleware:
    """En ``CAPACITA_HOST_PAQUETES`` solo se sirven paquetes; nada más del sitio.

    Va primero en MIDDLEWARE: el host de contenido no es el de ningún tenant, así
    que el tenant sale de la ruta (``/h5p/paquetes/<schema>/<carpeta>/…``) y la
    respuesta nunca pasa por sesiones, CSRF ni autenticación (no hay cookies).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not es_host_paquetes(request):
            return self.get_response(request)
        try:
            return self._servir(request)
        except Http404:
            return HttpResponseNotFound(
                _("No encontrado."), content_type="text/plain; charset=utf-8"
            )
        finally:
            connection.set_schema_to_public()

    def _servir(self, request: HttpRequest) -> HttpResponse:
        from django_tenants.utils import get_tenant_model

        if request.method not in ("GET", "HEAD"):
            raise Http404
        if request.path.startswith(PREFIJO_REPRODUCTOR):
            ruta = request.path.removeprefix(PREFIJO_REPRODUCTOR)
            return estatico_reproductor(request, ruta=ruta)
        encontrada = _RUTA_HOST.match(request.path)
        if not encontrada or not _SCHEMA.match(encontrada["schema"]):
            raise Http404
        tenant = (
            get_tenant_model()
            .objects.exclude(schema_name="public")
            .filter(schema_name=encontrada["schema"])
            .first()
        )
        if tenant is None:
            raise Http404
        connection.set_tenant(tenant)
        if not encontrada["ruta"]:
            return reproductor_servir(request, carpeta=encontrada["carpeta"])
        return archivo_servir(
            request, carpeta=encontrada["carpeta"], ruta=encontrada["ruta"]
        )
