"""Metas que no salen de los hechos (sí/no e informes): la coordinación MITP las
registra en el sitio público con su evidencia (p. ej. el PDF de la guía).

La evidencia se guarda fuera de MEDIA_ROOT, en ``INDICADORES_EVIDENCIAS_DIR`` (por
defecto junto a las exportaciones), con un nombre aleatorio: no tiene URL pública y
solo la descarga la coordinación (indicadores/views.py).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MetaAnual

EVIDENCIA_MAX_BYTES = 5 * 1024 * 1024
# extensión → primeros bytes que debe tener el archivo.
EVIDENCIA_FORMATOS = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def evidencias_dir() -> Path:
    configurado = getattr(settings, "INDICADORES_EVIDENCIAS_DIR", None)
    if configurado:
        return Path(configurado)
    return Path(settings.INDICADORES_EXPORTACIONES_DIR).parent / "evidencias"


def metas_manuales():
    return (
        MetaAnual.objects.filter(unidad__in=MetaAnual.MANUALES)
        .select_related("accion")
        .order_by("accion__orden", "anio", "inicio")
    )


def evidencia_ruta(meta: MetaAnual) -> Path | None:
    if not meta.evidencia:
        return None
    ruta = evidencias_dir() / meta.evidencia
    return ruta if ruta.is_file() else None


def _evidencia_validar(archivo) -> str:
    extension = Path(archivo.name or "").suffix.lower()
    if extension not in EVIDENCIA_FORMATOS:
        raise ValidationError(
            _("La evidencia debe ser un PDF, DOCX, XLSX, PNG o JPG."), code="formato"
        )
    if archivo.size > EVIDENCIA_MAX_BYTES:
        raise ValidationError(
            _("La evidencia no puede pesar más de 5 MB."), code="tamanio"
        )
    archivo.seek(0)
    cabecera = archivo.read(16)
    archivo.seek(0)
    if not any(cabecera.startswith(m) for m in EVIDENCIA_FORMATOS[extension]):
        raise ValidationError(
            _("El contenido del archivo no corresponde a su extensión."),
            code="contenido",
        )
    return extension


@transaction.atomic
def meta_manual_registrar(
    *, meta: MetaAnual, logrado: int, archivo=None, usuario=None
) -> MetaAnual:
    """Registra lo logrado de una meta manual. Un logro (> 0) exige evidencia."""
    if not meta.es_manual:
        raise ValidationError(
            _("Esta meta se cuenta con los hechos de la plataforma."), code="no_manual"
        )
    if logrado < 0 or (meta.unidad == MetaAnual.Unidad.SI_NO and logrado > 1):
        raise ValidationError(_("Valor fuera de rango."), code="rango")
    if logrado > 0 and archivo is None and not evidencia_ruta(meta):
        raise ValidationError(
            _(
                "Adjunte la evidencia (p. ej. el PDF de la guía) para registrar "
                "el logro."
            ),
            code="evidencia",
        )
    if archivo is not None:
        extension = _evidencia_validar(archivo)
        carpeta = evidencias_dir()
        carpeta.mkdir(parents=True, exist_ok=True)
        nombre = f"meta-{meta.pk}-{secrets.token_hex(12)}{extension}"
        with open(carpeta / nombre, "wb") as salida:
            for trozo in archivo.chunks():
                salida.write(trozo)
        anterior = evidencia_ruta(meta)
        meta.evidencia = nombre
        meta.evidencia_nombre = Path(archivo.name).name[:255]
        if anterior is not None:
            transaction.on_commit(lambda: anterior.unlink(missing_ok=True))
    meta.logrado_manual = logrado
    meta.registrado_por = usuario.get_username() if usuario is not None else ""
    meta.registrado_at = timezone.now()
    meta.save(
        update_fields=[
            "logrado_manual",
            "evidencia",
            "evidencia_nombre",
            "registrado_por",
            "registrado_at",
        ]
    )
    return meta
