"""Trabajos en segundo plano: un solo ciclo de vida para las exportaciones
(indicadores), los ZIP de certificados y las importaciones de planillas.

Ciclo (``Trabajo``): pendiente → en curso → listo | error. Quien lo corre llama a
``trabajo_iniciar``, ``trabajo_avanzar`` (cuántos van o qué porcentaje), y al final
``trabajo_terminar`` o ``trabajo_fallar``. La página de avance y su JSON usan la misma
forma, ``trabajo_estado``; la plantilla ``includes/trabajo_avance.html`` y
``js/trabajo-progreso.js`` la muestran.

El avance se publica también en la caché (la clave la separa por tenant:
``django_tenants.cache.make_key``): una escritura larga dentro de una transacción
(la nómina aplica todo o nada) no deja ver sus ``UPDATE`` hasta el commit, pero sí lo
que deja en la caché.

Importaciones: un solo mecanismo para la nómina, la asistencia a jornadas y el banco
de preguntas. Cada app marca su función de importación con ``@importable``; este
módulo solo la llama por su ruta (así content no importa las apps de más arriba). La
función recibe el archivo, ``al_avanzar(porcentaje)`` y los parámetros guardados, y
devuelve un resultado con ``errores`` (y ``valores`` de las filas con error). Es todo
o nada: la función no aplica nada si alguna fila tiene errores.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from typing import IO, Any, TypeVar
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.planillas import errores_xlsx

from .models import Importacion, Trabajo

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

# Lo que dura el avance en la caché si el trabajo muere sin terminar.
_AVANCE_TTL = 6 * 3600


def _clave_avance(trabajo: Trabajo | type[Trabajo], pk: int | None = None) -> str:
    return f"trabajo-avance:{trabajo._meta.label_lower}:{pk or trabajo.pk}"


def _filas(trabajo: Trabajo) -> QuerySet[Trabajo]:
    return type(trabajo)._default_manager.filter(pk=trabajo.pk)


def trabajo_iniciar(trabajo: Trabajo, *, total: int | None = None) -> None:
    """Pasa a «en curso» desde cero (también al reintentar tras una caída)."""
    trabajo.estado = Trabajo.Estado.EN_CURSO
    trabajo.progreso = trabajo.hechos = 0
    trabajo.error_mensaje = ""
    if total is not None:
        trabajo.total = total
    _filas(trabajo).update(
        estado=trabajo.estado,
        progreso=0,
        hechos=0,
        total=trabajo.total,
        error_mensaje="",
    )
    cache.delete(_clave_avance(trabajo))


def trabajo_avanzar(
    trabajo: Trabajo, *, hechos: int | None = None, porcentaje: int | None = None
) -> None:
    """Publica el avance: ``hechos`` de ``total`` o un ``porcentaje`` directo.

    Nunca llega a 100 antes de ``trabajo_terminar``. Solo escribe si el porcentaje o
    los hechos cambiaron."""
    if hechos is not None:
        if porcentaje is None:
            porcentaje = hechos * 100 // trabajo.total if trabajo.total else 0
    else:
        hechos = trabajo.hechos
    porcentaje = max(0, min(99, int(porcentaje or 0)))
    if (porcentaje, hechos) == (trabajo.progreso, trabajo.hechos):
        return
    trabajo.progreso, trabajo.hechos = porcentaje, hechos
    cache.set(
        _clave_avance(trabajo),
        {"progreso": porcentaje, "hechos": hechos},
        _AVANCE_TTL,
    )
    # Fuera de una transacción se ve de inmediato; dentro, al confirmar.
    _filas(trabajo).update(progreso=porcentaje, hechos=hechos)


def trabajo_terminar(trabajo: Trabajo, *, campos: tuple[str, ...] = ()) -> None:
    """Marca el trabajo listo y guarda, además, los ``campos`` propios del modelo."""
    trabajo.estado = Trabajo.Estado.LISTO
    trabajo.progreso = 100
    if trabajo.total:
        trabajo.hechos = max(trabajo.hechos, trabajo.total)
    trabajo.terminada_at = timezone.now()
    trabajo.save(
        update_fields=["estado", "progreso", "hechos", "terminada_at", *campos]
    )
    cache.delete(_clave_avance(trabajo))


def trabajo_fallar(
    modelo: type[Trabajo], pk: int, *, mensaje: str = "", **campos: Any
) -> None:
    """Marca el trabajo con error. Recibe el modelo y el id, no la instancia: se
    llama desde un ``except`` en el que la instancia puede no existir aún."""
    modelo._default_manager.filter(pk=pk).update(
        estado=Trabajo.Estado.ERROR,
        error_mensaje=mensaje[:2000],
        terminada_at=timezone.now(),
        **campos,
    )
    cache.delete(_clave_avance(modelo, pk))


def trabajo_estado(trabajo: Trabajo, *, descarga: str | None = None) -> dict[str, Any]:
    """La forma del estado que leen la página de avance y su JSON (la misma para los
    tres trabajos); ``descarga`` es la URL del archivo, que se entrega solo cuando el
    trabajo está listo. Mientras corre, el avance viene de la caché si está ahí."""
    progreso, hechos = trabajo.progreso, trabajo.hechos
    if trabajo.estado == Trabajo.Estado.LISTO:
        progreso = 100
    elif not trabajo.terminado:
        avance = cache.get(_clave_avance(trabajo))
        if avance and avance["progreso"] >= progreso:
            progreso, hechos = avance["progreso"], avance["hechos"]
    return {
        "estado": trabajo.estado,
        "estado_etiqueta": trabajo.estado_etiqueta,
        "porcentaje": progreso,
        "hechos": hechos,
        "total": trabajo.total,
        "terminado": trabajo.terminado,
        "descarga": descarga if trabajo.estado == Trabajo.Estado.LISTO else None,
    }


def importable(funcion: F) -> F:
    """Marca una función como importación que puede correr en segundo plano."""
    funcion.importacion_en_segundo_plano = True  # type: ignore[attr-defined]
    return funcion


def _funcion(ruta: str) -> Callable[..., Any]:
    funcion: Callable[..., Any] = import_string(ruta)
    if not getattr(funcion, "importacion_en_segundo_plano", False):
        raise ValueError(f"{ruta} no es una importación registrada")
    return funcion


def importacion_pedir(
    *,
    usuario: AbstractBaseUser,
    tipo: str,
    funcion: str,
    archivo: IO[bytes],
    columnas: list[str],
    parametros: dict[str, Any] | None = None,
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


def _resultado_dict(resultado: Any) -> dict[str, Any]:
    datos = dataclasses.asdict(resultado)
    datos["errores"] = [list(e) for e in datos.get("errores", [])]
    datos["valores"] = {str(k): v for k, v in datos.get("valores", {}).items()}
    return datos


_CUENTAS = ("creadas", "actualizadas", "registradas", "existentes")


def importacion_ejecutar(*, importacion_id: int) -> Importacion:
    """Corre la importación; lo llama la tarea en el schema del tenant."""
    importacion = Importacion.objects.get(pk=importacion_id)
    if importacion.terminado:
        return importacion
    trabajo_iniciar(importacion)

    def al_avanzar(porcentaje: int) -> None:
        trabajo_avanzar(importacion, porcentaje=porcentaje)

    columnas = importacion.resultado.get("columnas", [])
    datos: dict[str, Any]
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
    except Exception:
        logger.exception("Falló la importación %s", importacion.pk)
        trabajo_fallar(Importacion, importacion.pk, datos=None)
        raise
    else:
        datos = _resultado_dict(resultado)
    datos["columnas"] = columnas
    datos["rechazada"] = bool(datos["errores"] or datos.get("mensaje"))
    importacion.resultado = datos
    importacion.datos = None
    # Juntas: quien ve la importación lista ya la encuentra en la bitácora.
    with transaction.atomic():
        _importacion_auditar(importacion)
        trabajo_terminar(importacion, campos=("resultado", "datos"))
    return importacion


def _importacion_auditar(importacion: Importacion) -> None:
    from django.contrib.auth import get_user_model

    from .services import auditoria_registrar

    datos = importacion.resultado
    auditoria_registrar(
        objeto=importacion,
        accion="capacita.importacion",
        usuario=get_user_model().objects.filter(pk=importacion.usuario_id).first(),
        titulo=_("%(planilla)s (%(n)s filas aplicadas)")
        % {
            "planilla": _TITULOS.get(importacion.tipo, importacion.tipo),
            "n": sum(datos.get(k) or 0 for k in _CUENTAS),
        },
        detalle={
            "planilla": importacion.tipo,
            "importacion": str(importacion.uuid),
            "estado": "rechazada" if datos.get("rechazada") else "aplicada",
            # Ids (la jornada, quien la pidió), nunca valores de la planilla.
            "parametros": importacion.parametros,
            **{k: v for k, v in datos.items() if k in _CUENTAS},
            "errores": len(datos["errores"]),
        },
    )


def importacion_de_usuario(
    *, uuid: UUID | str, usuario: AbstractBaseUser
) -> Importacion | None:
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
    if importacion.rechazada:
        if r.get("mensaje"):
            return str(r["mensaje"])
        resumen = _(
            "No se aplicó ninguna fila: %(n)s filas tienen errores. Descargue la "
            "planilla de errores, corríjalas y vuelva a subir el archivo completo."
        ) % {"n": r.get("n_errores", len(r.get("errores", [])))}
        if r.get("purgada"):
            resumen = _(
                "No se aplicó ninguna fila: %(n)s filas tenían errores. Sus valores "
                "se borraron al cumplirse el plazo de retención."
            ) % {"n": r.get("n_errores", 0)}
        return resumen
    if importacion.estado == Importacion.Estado.LISTO:
        if "registradas" in r:
            return _(
                "Asistencia registrada: %(n)s personas nuevas, %(e)s ya registradas."
            ) % {"n": r.get("registradas", 0), "e": r.get("existentes", 0)}
        return _("Aplicada: %(c)s creadas y %(a)s actualizadas.") % {
            "c": r.get("creadas", 0),
            "a": r.get("actualizadas", 0),
        }
    if importacion.estado == Importacion.Estado.ERROR:
        return _("La importación falló. Intente de nuevo o avise a soporte.")
    return _("La planilla se está importando; esta página se actualiza sola.")


def importaciones_purgar(*, dias: int) -> int:
    """Borra, pasados ``dias`` desde que terminaron (o se pidieron, si nunca
    terminaron), la planilla subida y los valores originales de las filas con error
    (pueden traer RUT): quedan solo las cuentas. Devuelve cuántas purgó."""
    limite = timezone.now() - timedelta(days=dias)
    viejas = Importacion.objects.filter(
        Q(terminada_at__lt=limite) | Q(terminada_at__isnull=True, created_at__lt=limite)
    ).exclude(resultado__has_key="purgada")
    purgadas = 0
    for importacion in viejas.only("pk", "resultado"):
        r = importacion.resultado
        resultado = {k: v for k, v in r.items() if k not in {"errores", "valores"}}
        resultado["n_errores"] = len(r.get("errores", []))
        resultado["purgada"] = True
        Importacion.objects.filter(pk=importacion.pk).update(
            resultado=resultado, datos=None
        )
        purgadas += 1
    return purgadas
