"""Ciclo de vida de una exportación: pedir, generar (en línea o en una tarea),
guardar y auditar.

Una exportación de más de ``INDICADORES_UMBRAL_TAREA`` filas se genera en una tarea de
Celery (consciente del tenant) y la página de estado muestra el avance. El archivo se
escribe en un temporal del mismo directorio y se renombra al final (atómico): nunca se
descarga un archivo a medio escribir. Cada exportación queda registrada con quién,
cuándo, filtros y filas: en ``Exportacion`` (public) y, si es de un tenant, también en
su bitácora (content.RegistroAuditoria: Informes → Historial del sitio).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from content.trabajos import (
    trabajo_avanzar,
    trabajo_fallar,
    trabajo_iniciar,
    trabajo_terminar,
)
from tenants.roles import Rol, tiene_rol
from tenants.selectors import tenant_actual

from ..models import Exportacion, Hecho
from . import filas as fuente
from . import libros

logger = logging.getLogger(__name__)


def _puede_exportar(usuario, tipo: str) -> bool:
    if tipo in fuente.TIPOS_PUBLICOS:
        return fuente.es_publico() and tiene_rol(usuario, Rol.COORDINADOR_MITP)
    return not fuente.es_publico() and tiene_rol(usuario, Rol.ENCARGADO)


def _estimar(tipo: str, filtros: dict) -> int:
    if tipo == Exportacion.Tipo.NOMINA:
        return fuente.nomina_estimar(filtros)
    if tipo == Exportacion.Tipo.CERTIFICADOS:
        return fuente.certificados_consulta(filtros).count()
    if tipo == Exportacion.Tipo.UNIDADES:
        from cursos.models import Unidad

        return Unidad.objects.count()
    if tipo == Exportacion.Tipo.PLAN:
        # El libro tiene pocas filas, pero su costo crece con los hechos que cuenta:
        # con más hechos que el umbral también va a la tarea.
        return Hecho.objects.count()
    raise ValidationError(_("Tipo de exportación desconocido."))


def exportacion_pedir(*, usuario, tipo: str, filtros: dict) -> Exportacion:
    """Registra el pedido y genera el archivo ahora, o lo encola si es grande."""
    if not _puede_exportar(usuario, tipo):
        raise PermissionDenied(_("No tiene permiso para esta exportación."))
    if tipo not in fuente.TIPOS_TENANT | fuente.TIPOS_PUBLICOS:
        raise ValidationError(_("Tipo de exportación desconocido."))
    estimado = _estimar(tipo, filtros)
    exportacion = Exportacion.objects.create(
        schema_name=connection.schema_name,
        usuario_id=usuario.pk,
        usuario=usuario.get_username(),
        tipo=tipo,
        filtros=filtros,
        total=estimado,
        en_tarea=estimado > settings.INDICADORES_UMBRAL_TAREA,
    )
    if exportacion.en_tarea:
        from ..tasks import exportacion_generar_task

        transaction.on_commit(lambda: exportacion_generar_task.delay(exportacion.pk))
    else:
        exportacion_generar(exportacion_id=exportacion.pk)
        exportacion.refresh_from_db()
    return exportacion


def exportacion_ruta(exportacion: Exportacion) -> Path:
    return (
        Path(settings.INDICADORES_EXPORTACIONES_DIR)
        / exportacion.schema_name
        / f"{exportacion.uuid}.xlsx"
    )


def _libro_construir(exportacion: Exportacion, al_avanzar):
    filtros = exportacion.filtros
    if exportacion.tipo == Exportacion.Tipo.NOMINA:
        return libros.nomina_libro(
            personas=fuente.nomina_personas_filas(filtros),
            inscripciones=fuente.nomina_filas(filtros),
            jornadas=fuente.nomina_jornadas_filas(filtros),
            anio=fuente.nomina_anio(filtros),
            al_avanzar=al_avanzar,
        )
    if exportacion.tipo == Exportacion.Tipo.UNIDADES:
        anio = int(filtros.get("anio") or timezone.localdate().year)
        filas, total = fuente.unidades_datos(anio=anio, tenant_id=tenant_actual().pk)
        return libros.unidades_libro(filas, anio=anio, total=total)
    if exportacion.tipo == Exportacion.Tipo.CERTIFICADOS:
        return libros.certificados_libro(
            fuente.certificados_filas(filtros), al_avanzar=al_avanzar
        )
    if exportacion.tipo == Exportacion.Tipo.PLAN:
        return libros.plan_libro(**fuente.plan_datos())
    raise ValidationError(_("Tipo de exportación desconocido."))


def exportacion_generar(*, exportacion_id: int) -> Exportacion:
    """Genera el archivo en el schema de la exportación; lo llama la vista o la
    tarea."""
    exportacion = Exportacion.objects.get(pk=exportacion_id)
    if exportacion.schema_name != connection.schema_name:
        # Una tarea nunca debe generar datos de otro tenant.
        raise PermissionDenied("schema distinto al de la exportación")
    trabajo_iniciar(exportacion)

    def al_avanzar(n: int) -> None:
        trabajo_avanzar(exportacion, hechos=n)

    destino = exportacion_ruta(exportacion)
    destino.parent.mkdir(parents=True, exist_ok=True)
    # Un worker muerto a media escritura (SIGKILL, OOM) deja su temporal: lo borra el
    # reintento (CELERY_TASK_REJECT_ON_WORKER_LOST) de esta misma exportación.
    prefijo = f".{exportacion.uuid}-"
    for resto in destino.parent.glob(f"{prefijo}*.tmp"):
        resto.unlink(missing_ok=True)
    try:
        libro, filas = _libro_construir(exportacion, al_avanzar)
        fd, temporal = tempfile.mkstemp(
            dir=destino.parent, prefix=prefijo, suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as salida:
                libro.save(salida)
                # En disco antes del rename: tras un corte de luz tampoco queda un
                # .xlsx con el nombre final y el contenido a medias.
                salida.flush()
                os.fsync(salida.fileno())
            os.replace(temporal, destino)
        finally:
            if os.path.exists(temporal):
                os.unlink(temporal)
    except Exception:
        logger.exception("Falló la exportación %s", exportacion.pk)
        trabajo_fallar(Exportacion, exportacion.pk)
        raise
    exportacion.filas = filas
    exportacion.archivo = str(destino.name)
    # Juntas: quien ve la exportación lista ya la encuentra en la bitácora.
    with transaction.atomic():
        _auditar(exportacion)
        trabajo_terminar(exportacion, campos=("filas", "archivo"))
    return exportacion


def _auditar(exportacion: Exportacion) -> None:
    logger.info(
        "Exportación %s (%s) en %s por usuario %s: %s filas",
        exportacion.uuid,
        exportacion.tipo,
        exportacion.schema_name,
        exportacion.usuario_id,
        exportacion.filas,
    )
    if exportacion.schema_name == get_public_schema_name():
        return
    from django.contrib.auth import get_user_model

    from content.services import auditoria_registrar

    with schema_context(exportacion.schema_name):
        auditoria_registrar(
            objeto=exportacion,
            accion="capacita.exportacion",
            usuario=get_user_model().objects.filter(pk=exportacion.usuario_id).first(),
            titulo=_("Exportación «%(tipo)s» (%(filas)s filas)")
            % {"tipo": exportacion.tipo, "filas": exportacion.filas},
            detalle={
                "tipo": exportacion.tipo,
                "exportacion": str(exportacion.uuid),
                "filtros": exportacion.filtros,
                "filas": exportacion.filas,
            },
        )


def exportacion_de_usuario(*, uuid, usuario) -> Exportacion | None:
    """La exportación solo existe para quien la pidió, en el sitio donde la pidió."""
    return Exportacion.objects.filter(
        uuid=uuid, schema_name=connection.schema_name, usuario_id=usuario.pk
    ).first()
