"""Cálculo de indicadores: la única definición que usan tableros y exportaciones.

Definiciones (se repiten en la hoja «Metodología» del libro del Plan):

- **Funcionarios capacitados**: personas distintas (por clave seudónima) con al menos un
  hecho en el periodo: un curso completado o una asistencia a jornada. Quien se capacita
  en dos cursos, o en dos tenants con el mismo RUT, cuenta una vez.
- **Capacitaciones implementadas**: jornadas realizadas (con al menos una asistencia)
  más cursos en línea dictados, contando cada curso una vez por año en que alguien lo
  completó.
- **Instituciones capacitadas**: instituciones distintas (dentro de cada tenant) con al
  menos una persona capacitada.
- **Complejos fronterizos capacitados**: unidades distintas del tenant de complejos
  fronterizos con al menos una persona capacitada.
- **% capacitado** = capacitados ÷ dotación × 100, con la dotación del año (o la última
  informada antes de ese año). Un desglose nunca se suma para obtener el total: una
  persona puede aparecer en dos filas del desglose y una sola vez en el total.

Estado de una meta (``meta_estado``): *cumplida* si lo logrado alcanza el valor; si no,
*no cumplida* cuando venció el plazo; *en curso* si lo logrado va al ritmo lineal
esperado entre el inicio y el plazo (valor × fracción transcurrida, truncado); y *en
riesgo* si va por debajo de ese ritmo.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from .models import Accion, MetaAnual

# Las métricas, una sola vez: (qué se cuenta distinto, qué hechos cuentan). Cada
# consulta del módulo las arma con ``_metrica_sql``.
_DEFINICIONES = {
    "capacitados": ("h.persona", None),
    "capacitaciones": ("h.actividad_ref", None),
    "instituciones": ("h.institucion_ref", None),
    "complejos": ("h.unidad_ref", "h.es_complejo"),
}


def _metrica_sql(nombre: str, condicion: str | None = None) -> str:
    """``COUNT(DISTINCT …)`` de la métrica, con su filtro y uno adicional opcional."""
    expresion, propia = _DEFINICIONES[nombre]
    condiciones = [c for c in (propia, condicion) if c]
    sql = f"COUNT(DISTINCT {expresion})"
    if condiciones:
        sql += " FILTER (WHERE " + " AND ".join(condiciones) + ")"
    return sql


METRICAS = {nombre: _metrica_sql(nombre) for nombre in _DEFINICIONES}

# dimensión → (expresión de agrupación, expresión de su etiqueta)
DIMENSIONES = {
    "anio": ("EXTRACT(YEAR FROM h.fecha)::int", None),
    "mes": ("to_char(h.fecha, 'YYYY-MM')", None),
    "tenant": ("t.schema_name", "MAX(t.nombre)"),
    "institucion": ("h.institucion_ref", "MAX(h.institucion)"),
    "unidad": ("h.unidad_ref", "MAX(h.unidad)"),
    "sexo": ("h.sexo", None),
    "region": ("h.region", None),
    "modalidad": ("h.modalidad", None),
    "accion": ("a.codigo", None),
    "actividad": ("h.actividad_ref", "MAX(h.actividad)"),
    "tipo": ("h.tipo", None),
}

# Unidad de la meta → métrica que la mide.
METRICA_DE_UNIDAD = {
    MetaAnual.Unidad.PERSONAS: "capacitados",
    MetaAnual.Unidad.CAPACITACIONES: "capacitaciones",
    MetaAnual.Unidad.COMPLEJOS: "complejos",
    MetaAnual.Unidad.INSTITUCIONES: "instituciones",
}


class EstadoMeta(TextChoices):
    CUMPLIDA = "cumplida", _("Cumplida")
    EN_CURSO = "en_curso", _("En curso")
    EN_RIESGO = "en_riesgo", _("En riesgo")
    NO_CUMPLIDA = "no_cumplida", _("No cumplida")


@dataclass(frozen=True)
class Filtros:
    desde: date | None = None
    hasta: date | None = None
    anio: int | None = None
    tenant_id: int | None = None
    institucion_ref: str | None = None
    unidad_ref: str | None = None
    sexo: str | None = None
    region: str | None = None
    modalidad: str | None = None
    accion: str | None = None
    tipo: str | None = None

    def como_dict(self) -> dict:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}


# COUNT(DISTINCT …) ordena en memoria: con el work_mem por defecto (4 MB) las
# agregaciones nacionales se van a disco. Medido en docs/performance.md.
WORK_MEM = "64MB"


def _consultar(sql: str, params: list | None = None) -> list[dict]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # Con estadísticas al día el costo estimado de las agregaciones nacionales pasa
        # los umbrales de JIT y PostgreSQL compila ~1,9 s por consulta que luego corre
        # en 0,7 s (EXPLAIN ANALYZE en docs/performance.md): sin JIT en estas lecturas.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params or [])
        nombres = [c.name for c in cursor.description]
        return [dict(zip(nombres, fila, strict=True)) for fila in cursor.fetchall()]


def _tabla(nombre: str) -> str:
    return f'"{get_public_schema_name()}"."{nombre}"'


def _where(filtros: Filtros) -> tuple[list[str], list]:
    condiciones, params = [], []
    if filtros.desde:
        condiciones.append("h.fecha >= %s")
        params.append(filtros.desde)
    if filtros.hasta:
        condiciones.append("h.fecha <= %s")
        params.append(filtros.hasta)
    if filtros.anio:
        condiciones.append("h.fecha >= %s AND h.fecha < %s")
        params += [date(filtros.anio, 1, 1), date(filtros.anio + 1, 1, 1)]
    if filtros.accion:
        condiciones.append("h.acciones @> ARRAY[%s]::varchar[]")
        params.append(filtros.accion)
    for campo in (
        "tenant_id",
        "institucion_ref",
        "unidad_ref",
        "sexo",
        "region",
        "modalidad",
        "tipo",
    ):
        valor = getattr(filtros, campo)
        if valor is not None:
            condiciones.append(f"h.{campo} = %s")
            params.append(valor)
    return condiciones, params


def indicadores_calcular(
    *, agrupar_por: list[str] | tuple = (), filtros: Filtros | None = None
) -> list[dict]:
    """Los cuatro indicadores contados sobre los hechos, agrupados por dimensiones.

    Devuelve una fila por combinación con las claves de ``agrupar_por``, la etiqueta
    ``<dim>_nombre`` cuando la dimensión la tiene, y las métricas de ``METRICAS``.
    Sin ``agrupar_por`` devuelve una sola fila con los totales.
    """
    filtros = filtros or Filtros()
    desconocidas = set(agrupar_por) - set(DIMENSIONES)
    if desconocidas:
        raise ValueError(f"Dimensiones desconocidas: {sorted(desconocidas)}")
    columnas, grupos = [], []
    for dim in agrupar_por:
        expresion, etiqueta = DIMENSIONES[dim]
        columnas.append(f"{expresion} AS {dim}")
        grupos.append(expresion)
        if etiqueta:
            columnas.append(f"{etiqueta} AS {dim}_nombre")
    columnas += [f"{sql} AS {nombre}" for nombre, sql in METRICAS.items()]
    desde = (
        f"{_tabla('indicadores_hecho')} h "
        f"JOIN {_tabla('tenants_tenant')} t ON t.id = h.tenant_id"
    )
    if "accion" in agrupar_por:
        desde += " CROSS JOIN LATERAL unnest(h.acciones) AS a(codigo)"
    condiciones, params = _where(filtros)
    sql = f"SELECT {', '.join(columnas)} FROM {desde}"
    if condiciones:
        sql += " WHERE " + " AND ".join(condiciones)
    if grupos:
        sql += " GROUP BY " + ", ".join(grupos) + " ORDER BY " + ", ".join(grupos)
    return _consultar(sql, params)


def totales(filtros: Filtros | None = None) -> dict:
    return indicadores_calcular(filtros=filtros)[0]


def dotacion_calcular(
    *,
    anio: int,
    agrupar_por: list[str] | tuple = (),
    tenant_id: int | None = None,
) -> list[dict]:
    """Dotación del año por unidad (o la última informada antes), agregada.

    Dimensiones: tenant, institucion, unidad, region. Devuelve ``total``,
    ``femenino`` y ``masculino`` (estos dos solo suman lo informado).
    """
    permitidas = {
        "tenant": "t.schema_name",
        "institucion": "d.institucion_ref",
        "unidad": "d.unidad_ref",
        "region": "d.region",
    }
    grupos = [permitidas[d] for d in agrupar_por]
    columnas = [f"{permitidas[d]} AS {d}" for d in agrupar_por] + [
        "MAX(d.unidad) AS unidad_nombre",
        "MAX(d.institucion) AS institucion_nombre",
        "SUM(d.total) AS total",
        "SUM(d.femenino) AS femenino",
        "SUM(d.masculino) AS masculino",
    ]
    filtro_tenant = "AND tenant_id = %s" if tenant_id else ""
    params: list = [anio] + ([tenant_id] if tenant_id else [])
    sql = (
        f"SELECT {', '.join(columnas)} FROM ("
        f"  SELECT DISTINCT ON (tenant_id, unidad_id_tenant) * "
        f"  FROM {_tabla('indicadores_dotacionnacional')} "
        f"  WHERE anio <= %s {filtro_tenant} "
        f"  ORDER BY tenant_id, unidad_id_tenant, anio DESC"
        f") d JOIN {_tabla('tenants_tenant')} t ON t.id = d.tenant_id"
    )
    if grupos:
        sql += " GROUP BY " + ", ".join(grupos)
    return _consultar(sql, params)


def porcentaje(capacitados: int, dotacion: int | None) -> float | None:
    if not dotacion:
        return None
    return round(100 * capacitados / dotacion, 1)


def porcentaje_por_unidad(*, anio: int, tenant_id: int) -> list[dict]:
    """% capacitado de cada unidad del tenant: dotación y capacitados del año."""
    dotaciones = {
        d["unidad"]: d
        for d in dotacion_calcular(
            anio=anio, agrupar_por=["unidad"], tenant_id=tenant_id
        )
    }
    capacitados = {
        f["unidad"]: f
        for f in indicadores_calcular(
            agrupar_por=["unidad", "institucion"],
            filtros=Filtros(anio=anio, tenant_id=tenant_id),
        )
    }
    por_sexo: dict[tuple, int] = {
        (f["unidad"], f["sexo"]): f["capacitados"]
        for f in indicadores_calcular(
            agrupar_por=["unidad", "sexo"],
            filtros=Filtros(anio=anio, tenant_id=tenant_id),
        )
    }
    filas = []
    for ref in sorted(set(dotaciones) | set(capacitados)):
        dot = dotaciones.get(ref, {})
        cap = capacitados.get(ref, {})
        n = cap.get("capacitados", 0)
        filas.append(
            {
                "unidad_ref": ref,
                "unidad": cap.get("unidad_nombre") or dot.get("unidad_nombre") or "",
                "institucion": dot.get("institucion_nombre")
                or cap.get("institucion_nombre")
                or "",
                "dotacion": dot.get("total"),
                "dotacion_femenino": dot.get("femenino"),
                "dotacion_masculino": dot.get("masculino"),
                "capacitados": n,
                "capacitadas_mujeres": por_sexo.get((ref, "femenino"), 0),
                "capacitados_hombres": por_sexo.get((ref, "masculino"), 0),
                "porcentaje": porcentaje(n, dot.get("total")),
            }
        )
    return filas


def meta_estado(*, meta: MetaAnual, logrado: int, hoy: date) -> str:
    if logrado >= meta.valor:
        return EstadoMeta.CUMPLIDA
    if hoy > meta.plazo:
        return EstadoMeta.NO_CUMPLIDA
    if hoy < meta.inicio:
        return EstadoMeta.EN_CURSO
    dias_total = (meta.plazo - meta.inicio).days + 1
    transcurridos = (hoy - meta.inicio).days + 1
    esperado = math.floor(meta.valor * transcurridos / dias_total)
    return EstadoMeta.EN_CURSO if logrado >= esperado else EstadoMeta.EN_RIESGO


def logrado_por_meta() -> dict[int, dict]:
    """Métricas de cada meta sobre los hechos de su acción entre inicio y plazo.

    Solo se cuenta la métrica que mide la unidad de la meta (``METRICA_DE_UNIDAD``):
    las otras quedan en 0. Los hechos se despliegan por acción (``unnest``) y se unen a
    las metas por código, en vez de probar ``acciones @> …`` meta por meta.
    """
    # Los valores de la unidad son constantes del código (TextChoices), no entrada.
    metricas = ", ".join(
        _metrica_sql(nombre, f"m.unidad = '{unidad.value}'") + f" AS {nombre}"
        for unidad, nombre in METRICA_DE_UNIDAD.items()
    )
    sql = (
        f"SELECT m.id AS meta_id, {metricas} "
        f"FROM {_tabla('indicadores_hecho')} h "
        f"CROSS JOIN LATERAL unnest(h.acciones) AS a(codigo) "
        f"JOIN {_tabla('indicadores_accion')} ac ON ac.codigo = a.codigo "
        f"JOIN {_tabla('indicadores_metaanual')} m "
        f"  ON m.accion_id = ac.id AND h.fecha BETWEEN m.inicio AND m.plazo "
        f"WHERE m.unidad <> %s "
        f"GROUP BY m.id"
    )
    return {
        fila["meta_id"]: fila for fila in _consultar(sql, [str(MetaAnual.Unidad.SI_NO)])
    }


@dataclass
class AvanceMeta:
    accion: Accion
    meta: MetaAnual
    logrado: int
    estado: str

    @property
    def porcentaje(self) -> float:
        return round(100 * self.logrado / self.meta.valor, 1) if self.meta.valor else 0


def metas_avance(
    *, hoy: date | None = None, logrados: dict[int, dict] | None = None
) -> list[AvanceMeta]:
    """Cada meta del plan con lo logrado y su estado, en dos consultas.

    ``logrados`` es la salida de ``logrado_por_meta()`` ya calculada (el resumen
    nacional la guarda); sin él se cuenta ahora.
    """
    hoy = hoy or timezone.localdate()
    if logrados is None:
        logrados = logrado_por_meta()
    resultado = []
    metas = MetaAnual.objects.select_related("accion__eje").order_by(
        "accion__orden", "anio", "unidad"
    )
    for meta in metas:
        if meta.unidad == MetaAnual.Unidad.SI_NO:
            logrado = meta.logrado_manual or 0
        else:
            fila = logrados.get(meta.pk, {})
            logrado = fila.get(METRICA_DE_UNIDAD[meta.unidad], 0)
        resultado.append(
            AvanceMeta(
                accion=meta.accion,
                meta=meta,
                logrado=logrado,
                estado=meta_estado(meta=meta, logrado=logrado, hoy=hoy),
            )
        )
    return resultado
