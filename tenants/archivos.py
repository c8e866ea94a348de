"""Media pública de cada tenant y archivos privados (DESIGN.md §6, docs/security.md).

- ``media_servir`` entrega ``/media/<schema>/…`` solo en el host de ese schema: otro
  schema, una ruta con ``..``, un enlace simbólico o una carpeta reservada dan 404.
- ``AlmacenPrivado`` guarda los archivos con datos personales fuera de MEDIA_ROOT, en
  ``ARCHIVOS_PRIVADOS_DIR/<schema>/``, sin URL; ``privado_responder`` los entrega
  desde una vista que ya revisó rol y tenant (``descarga_privada``).
- Ninguna respuesta corre código en el origen del tenant aunque se abra directo: todas
  llevan ``Content-Security-Policy: sandbox`` y ``nosniff``; HTML, XML y SVG se
  descargan en vez de mostrarse.

Con ``ARCHIVOS_X_ACCEL`` la vista revisa y nginx lee el archivo desde una location
``internal`` (docs/operations.md).
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from collections.abc import Sequence
from functools import wraps
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.urls import re_path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from .roles import Rol, tiene_rol

# Abierto directo, un archivo no ejecuta nada ni ve las cookies del tenant: origen
# opaco, sin scripts, sin cargar nada de afuera.
CSP_ARCHIVOS = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
# Se muestran en la página; todo lo demás se descarga como adjunto.
TIPOS_EN_LINEA = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "image/x-icon",
        "image/vnd.microsoft.icon",
        "audio/mpeg",
        "audio/ogg",
        "audio/wav",
        "audio/webm",
        "video/mp4",
        "video/webm",
        "video/ogg",
    }
)
# Carpetas de la media que entregan otras vistas con sus propios controles: los
# paquetes H5P (content, con su sandbox) y los documentos de Wagtail (/documentos/,
# que respeta la privacidad de cada colección).
CARPETAS_RESERVADAS = frozenset({"h5p", "documents"})


class AlmacenPrivado(FileSystemStorage):
    """``ARCHIVOS_PRIVADOS_DIR/<schema activo>/…``: fuera de MEDIA_ROOT y sin URL.

    El schema se lee en cada operación, como en TenantFileSystemStorage: la tarea de
    Celery que arma un lote corre ya dentro del schema de su tenant.
    """

    @property
    def base_location(self) -> str:
        return os.path.join(settings.ARCHIVOS_PRIVADOS_DIR, connection.schema_name)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(
            "Un archivo privado no tiene URL: se descarga por una vista que revisa "
            "rol y tenant."
        )


def _modo(ruta: Path) -> int:
    try:
        modo = os.lstat(ruta).st_mode
    except (OSError, ValueError):
        raise Http404 from None
    if stat.S_ISLNK(modo):
        raise Http404
    return modo


def _ruta_segura(raiz: Path, partes: Sequence[str]) -> Path:
    """``raiz/partes…`` si es un archivo regular; 404 ante tramos vacíos, ``.``,
    ``..``, barras invertidas o un enlace simbólico en cualquier tramo."""
    if not partes or any(
        p in ("", ".", "..") or "\\" in p or "\x00" in p for p in partes
    ):
        raise Http404
    ruta = raiz
    modo = _modo(ruta)
    for tramo in partes:
        ruta = ruta / tramo
        modo = _modo(ruta)
    if not stat.S_ISREG(modo):
        raise Http404
    return ruta


def _tipo(nombre: str) -> tuple[str, bool]:
    """(Content-Type, en línea). HTML, XML y scripts van como texto plano; el SVG
    como imagen adjunta: una <img> lo muestra, abrirlo lo descarga."""
    tipo, codificacion = mimetypes.guess_type(nombre, strict=False)
    if tipo is None or codificacion:
        return "application/octet-stream", False
    if tipo in TIPOS_EN_LINEA:
        return tipo, True
    if tipo == "image/svg+xml":
        return tipo, False
    if tipo.startswith("text/") or any(x in tipo for x in ("xml", "html", "script")):
        return "text/plain; charset=utf-8", False
    return tipo, False


def archivo_responder(
    ruta: Path, *, interna: str, nombre: str | None = None, privado: bool = False
) -> HttpResponse:
    """Entrega un archivo ya autorizado; ``interna`` es su URI en nginx."""
    nombre = nombre or ruta.name
    tipo, en_linea = _tipo(nombre)
    if settings.ARCHIVOS_X_ACCEL:
        response = HttpResponse(content_type=tipo)
        response["X-Accel-Redirect"] = quote(interna)
    else:
        try:
            # O_NOFOLLOW: un enlace puesto entre la revisión y la apertura tampoco.
            descriptor = os.open(ruta, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            raise Http404 from None
        response = FileResponse(os.fdopen(descriptor, "rb"), content_type=tipo)
    response["Content-Disposition"] = content_disposition_header(not en_linea, nombre)
    response["Content-Security-Policy"] = CSP_ARCHIVOS
    response["X-Content-Type-Options"] = "nosniff"
    # Solo las páginas del mismo host lo incrustan (no las de otro tenant).
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store" if privado else "max-age=3600"
    return response


@require_safe
def media_servir(request, ruta: str) -> HttpResponse:
    """Media pública del tenant del host: ``/media/<su schema>/…`` y nada más."""
    schema = connection.schema_name
    schema_pedido, _barra, resto = ruta.partition("/")
    partes = resto.split("/")
    if schema_pedido != schema or partes[0].lower() in CARPETAS_RESERVADAS:
        raise Http404
    archivo = _ruta_segura(Path(settings.MEDIA_ROOT) / schema, partes)
    return archivo_responder(
        archivo, interna=f"{settings.ARCHIVOS_X_ACCEL_MEDIA}{schema}/{resto}"
    )


def media_urlpatterns() -> list:
    """La ruta de ``MEDIA_URL`` para urls_tenant y urls_public (siempre, no solo con
    DEBUG: en producción la vista revisa el host y nginx entrega el archivo)."""
    prefijo = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefijo}(?P<ruta>.+)$", media_servir, name="media")]


def privado_responder(campo: FieldFile, *, nombre: str) -> HttpResponse:
    """Entrega un archivo de AlmacenPrivado del schema activo como adjunto."""
    if not campo:
        raise Http404
    schema = connection.schema_name
    archivo = _ruta_segura(
        Path(settings.ARCHIVOS_PRIVADOS_DIR) / schema, campo.name.split("/")
    )
    return archivo_responder(
        archivo,
        interna=f"{settings.ARCHIVOS_X_ACCEL_PRIVADOS}{schema}/{campo.name}",
        nombre=nombre,
        privado=True,
    )


def descarga_privada(rol: Rol):
    """Sin sesión, 404 (ni siquiera se confirma que la descarga existe); sin el rol,
    403. La vista después filtra por el tenant del host."""

    def decorador(vista):
        @wraps(vista)
        def envoltura(request, *args, **kwargs):
            if not request.user.is_authenticated:
                raise Http404
            if not tiene_rol(request.user, rol):
                raise PermissionDenied
            return vista(request, *args, **kwargs)

        return envoltura

    return decorador
