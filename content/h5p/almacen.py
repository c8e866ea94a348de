"""Desempaque seguro en la media del tenant y alta o baja de paquetes.

Un paquete se valida entero antes de escribir un byte; luego se desempaca en una
carpeta temporal dentro de la media del tenant y se renombra de una vez, así un fallo
no deja nada a medio escribir (DESIGN.md §6).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from lib.zips import ERRORES_ZIP

from ..models import PaqueteH5P
from .validacion import limites, paquete_validar, rechazo, zip_abrir

_CARPETA = re.compile(r"^h5p/[0-9a-f]{32}$")


def _raiz_tenant() -> Path:
    """Media del tenant activo (MEDIA_ROOT/<schema>), resuelta."""
    return Path(default_storage.path("")).resolve()


def _dentro(ruta: Path, base: Path) -> Path:
    resuelta = ruta.resolve()
    if not resuelta.is_relative_to(base):
        raise rechazo(_("Ruta fuera de la media del tenant."), "ruta_fuera")
    return resuelta


def _copiar(zf: zipfile.ZipFile, info: zipfile.ZipInfo, destino: Path) -> int:
    escritos = 0
    fd = os.open(destino, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with zf.open(info) as origen, os.fdopen(fd, "wb") as salida:
        while bloque := origen.read(64 * 1024):
            escritos += len(bloque)
            if escritos > info.file_size:
                raise rechazo(_("El paquete está dañado."), "danado")
            salida.write(bloque)
    return escritos


def paquete_desempacar(archivo) -> dict:
    """Valida y desempaca el .h5p en ``h5p/<uuid>`` dentro de la media del tenant.

    Escribe en una carpeta temporal hermana y la renombra al final (operación
    atómica en el mismo sistema de archivos): si algo falla no queda nada. Devuelve
    lo mismo que ``paquete_validar`` más ``carpeta`` (ruta relativa a la media).
    """
    info = paquete_validar(archivo)
    base = _raiz_tenant()
    raiz = _dentro(base / "h5p", base)
    raiz.mkdir(parents=True, exist_ok=True)
    carpeta = f"h5p/{uuid.uuid4().hex}"
    temporal = Path(tempfile.mkdtemp(prefix=".tmp-", dir=raiz))
    try:
        temporal = _dentro(temporal, raiz)
        total = 0
        with zip_abrir(archivo) as zf:
            for nombre in info["archivos"]:
                entrada = zf.getinfo(nombre)
                destino = _dentro(temporal.joinpath(*nombre.split("/")), temporal)
                destino.parent.mkdir(parents=True, exist_ok=True)
                total += _copiar(zf, entrada, destino)
                if total > limites().max_descomprimido:
                    raise rechazo(_("El paquete está dañado."), "danado")
        for directorio, _subdirs, _archivos in os.walk(temporal):
            os.chmod(directorio, 0o755)
        os.rename(temporal, _dentro(base / carpeta, raiz))
    except ERRORES_ZIP:
        shutil.rmtree(temporal, ignore_errors=True)
        raise rechazo(
            _("El paquete está dañado: no se pudo desempacar."), "danado"
        ) from None
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    finally:
        archivo.seek(0)
    return {**info, "carpeta": carpeta}


def carpeta_eliminar(carpeta: str) -> None:
    """Borra una carpeta desempacada (solo ``h5p/<uuid>`` de la media del tenant)."""
    if not _CARPETA.match(carpeta or ""):
        return
    base = _raiz_tenant()
    shutil.rmtree(_dentro(base / carpeta, base), ignore_errors=True)


def paquete_cargar(*, paquete: PaqueteH5P, archivo) -> None:
    """Desempaca ``archivo`` y llena los campos derivados (sin guardar)."""
    info = paquete_desempacar(archivo)
    paquete.carpeta = info["carpeta"]
    paquete.biblioteca_principal = info["biblioteca_principal"]
    paquete.h5p_json = info["h5p_json"]
    if not paquete.titulo:
        paquete.titulo = info["titulo"] or os.path.basename(archivo.name)


def paquete_crear(*, titulo: str, archivo) -> PaqueteH5P:
    """Valida, desempaca y registra un paquete. Si algo falla no deja archivos."""
    paquete = PaqueteH5P(titulo=titulo)
    paquete_cargar(paquete=paquete, archivo=archivo)
    try:
        with transaction.atomic():
            paquete.archivo.save(os.path.basename(archivo.name), archivo, save=False)
            paquete.full_clean()
            paquete.save()
    except BaseException:
        carpeta_eliminar(paquete.carpeta)
        if paquete.archivo.name:
            default_storage.delete(paquete.archivo.name)
        raise
    return paquete


def archivos_eliminar_al_confirmar(*, carpeta: str, archivo: str) -> None:
    """Borra carpeta y .h5p cuando la transacción en curso confirme (o ya, sin ella).

    Se captura el schema ahora: on_commit podría correr con otro tenant activo.
    """
    from django.db import connection
    from django_tenants.utils import schema_context

    schema = connection.schema_name

    def borrar():
        with schema_context(schema):
            carpeta_eliminar(carpeta)
            if archivo:
                default_storage.delete(archivo)

    transaction.on_commit(borrar)


def paquete_eliminar(*, paquete: PaqueteH5P) -> None:
    """Borra el paquete; sus archivos se borran solo si la transacción confirma."""
    carpeta, archivo = paquete.carpeta, paquete.archivo.name
    paquete.delete()
    archivos_eliminar_al_confirmar(carpeta=carpeta, archivo=archivo)
