"""Resumen nacional: las cifras del tablero MITP ya calculadas, con su huella.

Contar personas distintas sobre todos los hechos del país cuesta del orden de un
segundo por consulta (docs/performance.md); el tablero MITP necesita tres. El resumen
guarda **la salida de las mismas funciones** de indicadores.selectors (una sola
definición) junto con la *huella* de los datos con que se calculó:

- cantidad y mayor id de los hechos (cambia con cada hecho nuevo o borrado), y
- un md5 de las metas que cuentan (acción, unidad, valor, inicio, plazo): editar una
  meta en el admin cambia lo logrado sin tocar los hechos.

Leer la huella cuesta un ``count(*)`` sobre un índice. Si la huella actual no es la
guardada, el resumen está vencido: el tablero muestra el anterior avisando la hora del
cálculo y encola ``resumen_recalcular_task`` (una vez cada ``PEDIDO_VIGENTE``). Sin
resumen previo se calcula en el momento. El libro del Plan (una exportación) no usa el
resumen: cuenta sobre los hechos al extraer.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from .models import ResumenNacional
from .selectors import (
    UNIDADES_MANUALES,
    CursoPorVersion,
    _tabla,
    anios_del_porcentaje,
    indicadores_calcular,
    logrado_por_meta,
    personas_por_version,
    porcentaje_nacional,
    totales,
)

CLAVE = "nacional"
# Un recálculo pedido hace menos que esto no se vuelve a encolar.
PEDIDO_VIGENTE = timedelta(minutes=5)


@dataclass(frozen=True)
class Resumen:
    logrados: dict[int, dict]
    por_tenant: list[dict]
    totales: dict
    porcentajes: list[dict]
    por_version: list[CursoPorVersion]
    calculado_at: datetime
    vigente: bool


def huella_calcular() -> str:
    sql = (
        f"SELECT (SELECT count(*) FROM {_tabla('indicadores_hecho')}), "
        f"(SELECT coalesce(max(id), 0) FROM {_tabla('indicadores_hecho')}), "
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', id, accion_id, unidad, "
        f"valor, inicio, plazo), ';' ORDER BY id), '')) "
        f"FROM {_tabla('indicadores_metaanual')} WHERE NOT (unidad = ANY(%s))), "
        # La dotación (denominador del %) y quién cuenta para cada acción
        # (destinatarios, modalidades, catálogo) también cambian las cifras.
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', id, total, femenino, "
        f"masculino, anio, catalogo_id), ';' ORDER BY id), '')) "
        f"FROM {_tabla('indicadores_dotacionnacional')}), "
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', id, sectores, tipos, "
        f"instituciones, modalidades), ';' ORDER BY id), '')) "
        f"FROM {_tabla('indicadores_accion')}), "
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', id, sector, tipos), ';' "
        f"ORDER BY id), '')) FROM {_tabla('tenants_institucioncatalogo')}), "
        # Una versión mayor publicada deja atrás a personas sin un hecho nuevo.
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', id, curso_ref, numero, "
        f"curso), ';' ORDER BY id), '')) "
        f"FROM {_tabla('indicadores_versionnacional')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(UNIDADES_MANUALES)])
        n, maximo, metas, dotacion, acciones, catalogo, versiones = cursor.fetchone()
    resto = hashlib.md5(
        f"{metas}:{dotacion}:{acciones}:{catalogo}:{versiones}".encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"{n}:{maximo}:{resto}"


def resumen_recalcular() -> ResumenNacional:
    """Calcula las cifras nacionales con indicadores.selectors y las guarda.

    La huella se toma **antes** de contar: si entra un hecho mientras se cuenta, la
    huella guardada ya no coincide y el próximo tablero pide otro recálculo (nunca se
    marca vigente un resumen que no incluye un hecho).
    """
    with schema_context(get_public_schema_name()):
        huella = huella_calcular()
        inicio = time.perf_counter()
        datos = {
            "logrados": {str(k): v for k, v in logrado_por_meta().items()},
            "por_tenant": indicadores_calcular(
                agrupar_por=["accion", "anio", "tenant"]
            ),
            "totales": totales(),
            "porcentajes": [
                porcentaje_nacional(anio=anio) for anio in anios_del_porcentaje()
            ],
            "por_version": [asdict(f) for f in personas_por_version()],
        }
        resumen, _creado = ResumenNacional.objects.update_or_create(
            clave=CLAVE,
            defaults={
                "datos": datos,
                "huella": huella,
                "calculado_at": timezone.now(),
                "segundos": round(time.perf_counter() - inicio, 3),
                "pedido_at": None,
            },
        )
    return resumen


def resumen_vigente() -> bool:
    """Si el resumen guardado corresponde a los hechos y metas de ahora."""
    with schema_context(get_public_schema_name()):
        huella = (
            ResumenNacional.objects.filter(clave=CLAVE)
            .values_list("huella", flat=True)
            .first()
        )
        return huella is not None and huella == huella_calcular()


def _recalculo_pedir(resumen: ResumenNacional) -> None:
    ahora = timezone.now()
    # UPDATE condicional: de varias vistas simultáneas, solo una encola la tarea.
    pedido = (
        ResumenNacional.objects.filter(pk=resumen.pk)
        .exclude(pedido_at__gt=ahora - PEDIDO_VIGENTE)
        .update(pedido_at=ahora)
    )
    if pedido:
        from .tasks import resumen_recalcular_task

        resumen_recalcular_task.delay()


def resumen_obtener() -> Resumen:
    """El resumen nacional para el tablero MITP (vencido solo si ya hay uno)."""
    with schema_context(get_public_schema_name()):
        resumen = ResumenNacional.objects.filter(clave=CLAVE).first()
        if resumen is None:
            resumen = resumen_recalcular()
            vigente = True
        else:
            vigente = resumen.huella == huella_calcular()
            if not vigente:
                _recalculo_pedir(resumen)
    datos = resumen.datos
    return Resumen(
        logrados={int(k): v for k, v in datos["logrados"].items()},
        por_tenant=datos["por_tenant"],
        totales=datos["totales"],
        porcentajes=datos.get("porcentajes", []),
        por_version=[
            CursoPorVersion(
                curso=f["curso"],
                version_vigente=f["version_vigente"],
                por_version=[tuple(par) for par in f["por_version"]],
                desactualizadas=f["desactualizadas"],
            )
            for f in datos.get("por_version", [])
        ],
        calculado_at=resumen.calculado_at,
        vigente=vigente,
    )
