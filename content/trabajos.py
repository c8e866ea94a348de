"""Importaciones de planillas en segundo plano: pedir, ejecutar (tarea de Celery
consciente del tenant), seguir el avance y descargar la planilla de errores.

Un solo mecanismo para la nómina, la asistencia a jornadas y el banco de preguntas.
Cada app marca su función de importación con ``@importable``; este módulo solo la
llama por su ruta (así content no importa las apps de más arriba). La función recibe
el archivo, ``al_avanzar(porcentaje)`` y los parámetros guardados, y devuelve un
resultado con ``errores`` (y ``valores`` de las filas con error). Es todo o nada: la
función no aplica nada si alguna fila tiene errores.
"""

from __future__ import annotations

import dataclasses
import logging
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.planillas import errores_xlsx

from .models import Importacion

logger = logging.getLogger(__name__)


def importable(funcion):
    """Marca una función como importación que puede correr en segundo plano."""
    funcion.importacion_en_segundo_plano = True
    return funcion


def _funcion(ruta: str):
    funcion = import_string(ruta)
    if not getattr(funcion, "importacion_en_segundo_plano", False):
        raise ValueError(f"{ruta} no es una importación registrada")
    return funcion


def importacion_pedir(
    *,
    usuario,
    tipo: str,
    funcion: str,
    archivo,
    columnas: list[str],
    parametros: dict | None = None,
    volver: str = "",
) -> Importacion:
    """Guarda la planilla subida y encola su importación (al confirmar la
    transacción: el worker solo ve datos confirmados)."""
    _funcion(funcion)
    archivo.seek(0)
    importacion = Importacion.objects.create(
        tipo=tipo,
        usuario_id=usuario.pk,
        funcion=funcion,
        parametros=parametros or {},
        nombre_archivo=(getattr(archivo, "name", "") or "")[:255],
        datos=archivo.read(),
        resultado={"columnas": list(columnas)},
        volver=volver,
    )
    from .tasks import importacion_ejecutar_task

    transaction.on_commit(lambda: importacion_ejecutar_task.delay(importacion.pk))
    return importacion


# Cómo se nombra cada planilla en la bitácora (Informes → Historial del sitio).
_TITULOS = {
    "nomina": gettext_lazy("Nómina"),
    "asistencia": gettext_lazy("Asistencia a jornada"),
    "banco": gettext_lazy("Banco de preguntas"),
}


def _resultado_dict(resultado) -> dict:
    datos = dataclasses.asdict(resultado)
    datos["errores"] = [list(e) for e in datos.get("errores", [])]
    datos["valores"] = {str(k): v for k, v in datos.get("valores", {}).items()}
    return datos


def importacion_ejecutar(*, importacion_id: int) -> Importacion:
    """Corre la importación; lo llama la tarea en el schema del tenant."""
    importacion = Importacion.objects.get(pk=importacion_id)
    if importacion.terminada:
        return importacion
    filas = Importacion.objects.filter(pk=importacion.pk)
    filas.update(estado=Importacion.Estado.EN_CURSO, progreso=0)
    ultimo = [0]

    def al_avanzar(porcentaje: int) -> None:
        porcentaje = max(0, min(99, int(porcentaje)))
        if porcentaje != ultimo[0]:
            ultimo[0] = porcentaje
            filas.update(progreso=porcentaje)

    columnas = importacion.resultado.get("columnas", [])
    try:
        funcion = _funcion(importacion.funcion)
        resultado = funcion(
            BytesIO(bytes(importacion.datos or b"")),
            al_avanzar=al_avanzar,
            **importacion.parametros,
        )
    except ValidationError as exc:
        # El archivo entero no se pudo leer (no es xlsx, demasiado grande...).
        datos = {"mensaje": " ".join(exc.messages), "errores": [], "valores": {}}
        estado = Importacion.Estado.RECHAZADA
    except Exception:
        logger.exception("Falló la importación %s", importacion.pk)
        filas.update(
            estado=Importacion.Estado.FALLIDA, datos=None, terminada_at=timezone.now()
        )
        raise
    else:
        datos = _resultado_dict(resultado)
        estado = (
            Importacion.Estado.RECHAZADA
            if datos["errores"]
            else Importacion.Estado.APLICADA
        )
    datos["columnas"] = columnas
    importacion.resultado = datos
    importacion.estado = estado
    importacion.progreso = 100
    importacion.datos = None
    importacion.terminada_at = timezone.now()
    importacion.save(
        update_fields=["resultado", "estado", "progreso", "datos", "terminada_at"]
    )
    from django.contrib.auth import get_user_model

    from .services import auditoria_registrar

    auditoria_registrar(
        objeto=importacion,
        accion="capacita.importacion",
        usuario=get_user_model().objects.filter(pk=importacion.usuario_id).first(),
        titulo=_("%(planilla)s (%(n)s filas aplicadas)")
        % {
            "planilla": _TITULOS.get(importacion.tipo, importacion.tipo),
            "n": sum(
                datos.get(k) or 0
                for k in ("creadas", "actualizadas", "registradas", "existentes")
            ),
        },
        detalle={
            "planilla": importacion.tipo,
            "importacion": str(importacion.uuid),
            "estado": estado,
            **{
                k: v
                for k, v in datos.items()
                if k in {"creadas", "actualizadas", "registradas", "existentes"}
            },
            "errores": len(datos["errores"]),
        },
    )
    return importacion


def importacion_de_usuario(*, uuid, usuario) -> Importacion | None:
    """La importación solo existe para quien la pidió (y en su tenant)."""
    return Importacion.objects.filter(uuid=uuid, usuario_id=usuario.pk).first()


def importacion_errores_xlsx(importacion: Importacion) -> bytes:
    """La planilla de errores: cada fila con error con sus valores y el motivo."""
    resultado = importacion.resultado
    errores = [tuple(e) for e in resultado.get("errores", [])]
    if resultado.get("mensaje"):
        errores.insert(0, (0, resultado["mensaje"]))
    return errores_xlsx(
        errores,
        columnas=resultado.get("columnas", []),
        valores=resultado.get("valores", {}),
    )


def importacion_resumen(importacion: Importacion) -> str:
    """Una línea con lo que hizo la importación, para la página de avance."""
    r = importacion.resultado
    if importacion.estado == Importacion.Estado.APLICADA:
        if "registradas" in r:
            return _(
                "Asistencia registrada: %(n)s personas nuevas, %(e)s ya registradas."
            ) % {"n": r.get("registradas", 0), "e": r.get("existentes", 0)}
        return _("Aplicada: %(c)s creadas y %(a)s actualizadas.") % {
            "c": r.get("creadas", 0),
            "a": r.get("actualizadas", 0),
        }
    if importacion.estado == Importacion.Estado.RECHAZADA:
        if r.get("mensaje"):
            return r["mensaje"]
        return _(
            "No se aplicó ninguna fila: %(n)s filas tienen errores. Descargue la "
            "planilla de errores, corríjalas y vuelva a subir el archivo completo."
        ) % {"n": len(r.get("errores", []))}
    if importacion.estado == Importacion.Estado.FALLIDA:
        return _("La importación falló. Intente de nuevo o avise a soporte.")
    return _("La planilla se está importando; esta página se actualiza sola.")
