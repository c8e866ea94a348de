"""Cálculo de indicadores: la única definición que usan tableros y exportaciones.

Las definiciones (capacitado, atribución, % capacitado, estado de una meta...) están
redactadas una sola vez en indicadores/metodologia.py.

Estado de una meta (``meta_estado``): *cumplida* si lo logrado alcanza el valor; si no,
*no cumplida* cuando venció el plazo; *en curso* si lo logrado va al ritmo lineal
esperado entre el inicio y el plazo (valor × fracción transcurrida, truncado); y *en
riesgo* si va por debajo de ese ritmo.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

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
    "instituciones": ("h.catalogo_id", None),
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
    # La institución nacional (catálogo): una vez en el país; nula si no tiene.
    "catalogo": ("h.catalogo_id", "MAX(cat.nombre)"),
    "sector": ("COALESCE(cat.sector, '')", None),
    "unidad": ("h.unidad_ref", "MAX(h.unidad)"),
    "sexo": ("h.sexo", None),
    "region": ("h.region", None),
    "modalidad": ("h.modalidad", None),
    "accion": ("ac.codigo", None),
    "actividad": ("h.actividad_ref", "MAX(h.actividad)"),
    "tipo": ("h.tipo", None),
}

# Unidad de la meta → métrica que la mide.
METRICA_DE_UNIDAD: dict[str, str] = {
    MetaAnual.Unidad.PERSONAS: "capacitados",
    MetaAnual.Unidad.CAPACITACIONES: "capacitaciones",
    MetaAnual.Unidad.COMPLEJOS: "complejos",
    MetaAnual.Unidad.INSTITUCIONES: "instituciones",
    MetaAnual.Unidad.MESES: "meses",
    MetaAnual.Unidad.NOMBRADAS: "nombradas",
}

# Unidades que registra la MITP a mano, con evidencia.
UNIDADES_MANUALES = (str(MetaAnual.Unidad.SI_NO), str(MetaAnual.Unidad.INFORMES))


def _atribucion_condicion() -> str:
    """Cuándo el hecho ``h`` (con su institución del catálogo ``c``) cuenta para la
    acción ``ac``: la única regla de atribución (DESIGN.md §5.4)."""
    return (
        "h.modalidad = ANY(ac.modalidades) "
        "AND (c.sector = ANY(ac.sectores) OR c.tipos && ac.tipos "
        "OR c.codigo = ANY(ac.instituciones)) "
        "AND ac.codigo = ANY(h.acciones)"
    )


def _atribucion_join() -> str:
    return (
        f" JOIN {_tabla('tenants_institucioncatalogo')} c ON c.id = h.catalogo_id"
        f" JOIN {_tabla('indicadores_accion')} ac ON {_atribucion_condicion()}"
    )


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

    def como_dict(self) -> dict[str, Any]:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}


# COUNT(DISTINCT …) ordena en memoria: con el work_mem por defecto (4 MB) las
# agregaciones nacionales se van a disco. Medido en docs/performance.md.
WORK_MEM = "64MB"


def _consultar(sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
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


def _where(filtros: Filtros) -> tuple[list[str], list[Any]]:
    condiciones: list[str] = []
    params: list[Any] = []
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
        condiciones.append(
            f"EXISTS (SELECT 1 FROM {_tabla('tenants_institucioncatalogo')} c "
            f"JOIN {_tabla('indicadores_accion')} ac ON ac.codigo = %s "
            f"WHERE c.id = h.catalogo_id AND {_atribucion_condicion()})"
        )
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
    *, agrupar_por: list[str] | tuple[str, ...] = (), filtros: Filtros | None = None
) -> list[dict[str, Any]]:
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
        desde += _atribucion_join()
    if {"catalogo", "sector"} & set(agrupar_por):
        desde += (
            f" LEFT JOIN {_tabla('tenants_institucioncatalogo')} cat "
            f"ON cat.id = h.catalogo_id"
        )
    condiciones, params = _where(filtros)
    sql = f"SELECT {', '.join(columnas)} FROM {desde}"
    if condiciones:
        sql += " WHERE " + " AND ".join(condiciones)
    if grupos:
        sql += " GROUP BY " + ", ".join(grupos) + " ORDER BY " + ", ".join(grupos)
    return _consultar(sql, params)


def totales(filtros: Filtros | None = None) -> dict[str, Any]:
    return indicadores_calcular(filtros=filtros)[0]


def dotacion_calcular(
    *,
    anio: int,
    agrupar_por: list[str] | tuple[str, ...] = (),
    tenant_id: int | None = None,
) -> list[dict[str, Any]]:
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
    params: list[Any] = [anio] + ([tenant_id] if tenant_id else [])
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


def etiquetas_sexo() -> dict[str, str]:
    """Etiquetas de sexo de los hechos: en blanco es «No informado», distinto de la
    respuesta «Prefiere no informar»."""
    from cursos.choices import Sexo

    return {**{k: str(v) for k, v in Sexo.choices}, "": str(_("No informado"))}


def porcentaje(capacitados: int, dotacion: int | None) -> float | None:
    if not dotacion:
        return None
    return round(100 * capacitados / dotacion, 1)


def porcentaje_por_unidad(*, anio: int, tenant_id: int) -> list[dict[str, Any]]:
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
    por_sexo: dict[tuple[Any, ...], int] = {
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


def _dotacion_cte(anio_param: str = "%s", tenant_filtro: str = "") -> str:
    """CTE ``d``: la dotación vigente de cada unidad para el año (o la última antes)."""
    return (
        f"d AS (SELECT DISTINCT ON (tenant_id, unidad_id_tenant) * "
        f"FROM {_tabla('indicadores_dotacionnacional')} "
        f"WHERE anio <= {anio_param} {tenant_filtro} "
        f"ORDER BY tenant_id, unidad_id_tenant, anio DESC)"
    )


def unidades_con_dotacion(*, anio: int, tenant_id: int) -> set[str]:
    """``unidad_ref`` de las unidades del tenant con dotación para el año (o la última
    informada antes): las que entran en el % (misma CTE que ``poblacion_tenant``)."""
    sql = (
        f"WITH {_dotacion_cte(tenant_filtro='AND tenant_id = %s')} "
        f"SELECT unidad_ref FROM d"
    )
    return {f["unidad_ref"] for f in _consultar(sql, [anio, tenant_id])}


def poblacion_tenant(*, anio: int, tenant_id: int) -> dict[str, Any]:
    """La misma población para el % de un tenant (DESIGN.md §5.4).

    ``capacitados``: personas distintas capacitadas en el año en unidades con dotación;
    ``dotacion``: la de esas unidades; ``sin_dotacion``: personas distintas capacitadas
    en unidades sin dotación informada o sin unidad (su propia línea).
    """
    sql = (
        f"WITH {_dotacion_cte(tenant_filtro='AND tenant_id = %s')} "
        f"SELECT (SELECT SUM(total) FROM d) AS dotacion, "
        f"COUNT(DISTINCT h.persona) FILTER (WHERE d.unidad_ref IS NOT NULL) "
        f"AS capacitados, "
        f"COUNT(DISTINCT h.persona) FILTER (WHERE d.unidad_ref IS NULL) "
        f"AS sin_dotacion "
        f"FROM {_tabla('indicadores_hecho')} h "
        f'LEFT JOIN d ON d.unidad_ref COLLATE "C" = h.unidad_ref '
        f"WHERE h.tenant_id = %s AND h.fecha >= %s AND h.fecha < %s"
    )
    fila = _consultar(
        sql,
        [anio, tenant_id, tenant_id, date(anio, 1, 1), date(anio + 1, 1, 1)],
    )[0]
    dot = fila["dotacion"] or 0
    return {
        "dotacion": dot or None,
        "capacitados": fila["capacitados"],
        "sin_dotacion": fila["sin_dotacion"],
        "porcentaje": porcentaje(fila["capacitados"], dot),
    }


# Dimensiones del % nacional: (clave, etiqueta), sobre la dotación ``d``, el tenant
# ``t`` y la institución del catálogo ``cd`` de la unidad.
DIMENSIONES_PORCENTAJE = {
    "tenant": ("t.schema_name", "MAX(t.nombre)"),
    "sector": ("COALESCE(cd.sector, '')", None),
    "institucion": (
        "COALESCE(cd.codigo, d.institucion_ref)",
        "MAX(COALESCE(cd.nombre, d.institucion))",
    ),
    "region": ("d.region", None),
}


def porcentaje_nacional(*, anio: int) -> dict[str, Any]:
    """% capacitado nacional del año por tenant, sector, institución, región y sexo.

    Misma población que el % del tenant: numerador = personas distintas capacitadas
    en el año en unidades con dotación informada (la unidad del momento del hecho);
    denominador = la dotación de esas unidades. Por sexo, el denominador es la
    dotación de mujeres (u hombres) de las unidades que la informaron. Devuelve
    ``total``, ``por`` (dimensión → filas), ``sin_dotacion`` y ``cobertura``.
    """
    claves = [clave for clave, _e in DIMENSIONES_PORCENTAJE.values()]
    etiquetas = [
        f"{e} AS {dim}_nombre" for dim, (_c, e) in DIMENSIONES_PORCENTAJE.items() if e
    ]
    conjuntos = ", ".join(f"({c})" for c in claves) + ", (h.sexo), ()"
    columnas = ", ".join(
        [f"{c} AS {dim}" for dim, (c, _e) in DIMENSIONES_PORCENTAJE.items()] + etiquetas
    )
    bits = f"GROUPING({', '.join(claves)}, h.sexo)"
    base = (
        f"FROM d JOIN {_tabla('tenants_tenant')} t ON t.id = d.tenant_id "
        f"LEFT JOIN {_tabla('tenants_institucioncatalogo')} cd ON cd.id = d.catalogo_id"
    )
    anio_rango = [date(anio, 1, 1), date(anio + 1, 1, 1)]
    numerador = _consultar(
        f"WITH {_dotacion_cte()} SELECT {columnas}, h.sexo AS sexo, {bits} AS g, "
        f"COUNT(DISTINCT h.persona) AS capacitados, "
        f"COUNT(DISTINCT h.persona) FILTER (WHERE h.sexo = 'femenino' "
        f"AND d.femenino IS NOT NULL) AS capacitadas_f, "
        f"COUNT(DISTINCT h.persona) FILTER (WHERE h.sexo = 'masculino' "
        f"AND d.masculino IS NOT NULL) AS capacitados_m "
        f"{base} JOIN {_tabla('indicadores_hecho')} h "
        f'ON h.unidad_ref = d.unidad_ref COLLATE "C" '
        f"AND h.fecha >= %s AND h.fecha < %s "
        f"GROUP BY GROUPING SETS ({conjuntos})",
        [anio, *anio_rango],
    )
    conjuntos_d = ", ".join(f"({c})" for c in claves) + ", ()"
    bits_d = f"GROUPING({', '.join(claves)})"
    denominador = _consultar(
        f"WITH {_dotacion_cte()} SELECT {columnas}, {bits_d} AS g, "
        f"SUM(d.total) AS dotacion, SUM(d.femenino) AS femenino, "
        f"SUM(d.masculino) AS masculino, COUNT(*) AS unidades "
        f"{base} GROUP BY GROUPING SETS ({conjuntos_d})",
        [anio],
    )
    dims = list(DIMENSIONES_PORCENTAJE)
    n = len(dims)

    def dim_de(g: int, con_sexo: bool) -> str | None:
        # GROUPING(...) pone en 1 el bit de cada columna que NO agrupa la fila.
        total_bits = n + (1 if con_sexo else 0)
        for i, dim in enumerate(dims + (["sexo"] if con_sexo else [])):
            if g == (2**total_bits - 1) ^ (1 << (total_bits - 1 - i)):
                return dim
        return None

    dot: dict[tuple[Any, ...], dict[str, Any]] = {}
    for f in denominador:
        dim = dim_de(f["g"], False)
        dot[(dim, f[dim] if dim else None)] = f
    por: dict[str, list[dict[str, Any]]] = {dim: [] for dim in dims + ["sexo"]}
    total: dict[str, Any] = {"dotacion": 0, "capacitados": 0, "porcentaje": None}
    d_total = dot.get((None, None), {})
    for f in numerador:
        dim = dim_de(f["g"], True)
        if dim is None:
            total = {
                "dotacion": d_total.get("dotacion"),
                "capacitados": f["capacitados"],
                "porcentaje": porcentaje(f["capacitados"], d_total.get("dotacion")),
                "capacitadas_f": f["capacitadas_f"],
                "capacitados_m": f["capacitados_m"],
            }
            continue
        if dim == "sexo":
            continue
        clave = f[dim]
        d = dot.get((dim, clave), {})
        por[dim].append(
            {
                "clave": clave,
                "nombre": f.get(f"{dim}_nombre") or clave,
                "dotacion": d.get("dotacion"),
                "capacitados": f["capacitados"],
                "porcentaje": porcentaje(f["capacitados"], d.get("dotacion")),
            }
        )
    # Filas de dotación sin ningún capacitado: 0 %.
    for (dim, clave), d in dot.items():
        if dim and not any(r["clave"] == clave for r in por[dim]):
            por[dim].append(
                {
                    "clave": clave,
                    "nombre": d.get(f"{dim}_nombre") or clave,
                    "dotacion": d["dotacion"],
                    "capacitados": 0,
                    "porcentaje": porcentaje(0, d["dotacion"]),
                }
            )
    for dim in dims:
        por[dim].sort(key=lambda r: str(r["nombre"] or ""))
    sexos = {
        f["sexo"]: f["capacitados"] for f in numerador if dim_de(f["g"], True) == "sexo"
    }
    for sexo, den, num in (
        ("femenino", d_total.get("femenino"), total.get("capacitadas_f", 0)),
        ("masculino", d_total.get("masculino"), total.get("capacitados_m", 0)),
    ):
        por["sexo"].append(
            {
                "clave": sexo,
                "nombre": sexo,
                "dotacion": den,
                "capacitados": num,
                "porcentaje": porcentaje(num, den),
            }
        )
    for sexo, n_sexo in sorted(sexos.items(), key=lambda x: x[0] or ""):
        if sexo not in ("femenino", "masculino"):
            por["sexo"].append(
                {
                    "clave": sexo,
                    "nombre": sexo,
                    "dotacion": None,
                    "capacitados": n_sexo,
                    "porcentaje": None,
                }
            )
    sin = _consultar(
        f"WITH {_dotacion_cte()} SELECT COUNT(DISTINCT h.persona) AS n "
        f"FROM {_tabla('indicadores_hecho')} h "
        f"WHERE h.fecha >= %s AND h.fecha < %s AND NOT EXISTS "
        f'(SELECT 1 FROM d WHERE d.unidad_ref COLLATE "C" = h.unidad_ref)',
        [anio, *anio_rango],
    )[0]["n"]
    return {
        "anio": anio,
        "total": total,
        "por": por,
        "sin_dotacion": sin,
        "cobertura": cobertura_dotacion(
            anio=anio, con_dotacion=d_total.get("unidades") or 0
        ),
    }


def anios_del_porcentaje(hoy: date | None = None) -> list[int]:
    """Años del % nacional: los del plan hasta el actual, el más reciente primero."""
    from .models import Plan

    hoy = hoy or timezone.localdate()
    plan = Plan.objects.order_by("inicio").first()
    if plan is None:
        return [hoy.year]
    hasta = min(plan.fin.year, hoy.year)
    return list(range(hasta, plan.inicio.year - 1, -1)) or [hoy.year]


def cobertura_dotacion(*, anio: int, con_dotacion: int) -> dict[str, Any]:
    """Cuánta dotación se informó: unidades con dotación ÷ todas las unidades.

    Las unidades viven en el schema de cada tenant: se cuentan con una consulta que
    une (UNION ALL) la tabla de unidades de cada schema que la tiene.
    """
    from tenants.models import Tenant

    esquemas = list(
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .exclude(es_plantilla=True)
        .values_list("schema_name", flat=True)
    )
    total = 0
    if esquemas:
        con_tabla = [
            f[0]
            for f in _filas(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'cursos_unidad' AND table_schema = ANY(%s)",
                [esquemas],
            )
        ]
        if con_tabla:
            q = connection.ops.quote_name
            sql = " UNION ALL ".join(
                f"SELECT count(*) AS n FROM {q(e)}.cursos_unidad" for e in con_tabla
            )
            total = sum(f[0] for f in _filas(sql, []))
    return {
        "unidades": total,
        "con_dotacion": con_dotacion,
        "porcentaje": porcentaje(con_dotacion, total),
    }


def _filas(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        filas: list[tuple[Any, ...]] = cursor.fetchall()
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


def logrado_por_meta() -> dict[int, dict[str, Any]]:
    """Lo logrado por cada meta contable: sus hechos atribuidos entre inicio y plazo.

    Solo se cuenta la métrica que mide la unidad de la meta (``METRICA_DE_UNIDAD``):
    las otras quedan en 0. Cada hecho se une a las acciones para las que cuenta con la
    regla de atribución (``_atribucion_condicion``) y a sus metas por fecha.
    """
    sql = (
        "SELECT m.id AS meta_id, "
        "COUNT(DISTINCT h.persona) FILTER (WHERE m.unidad = 'personas') "
        "AS capacitados, "
        "COUNT(DISTINCT h.actividad_ref) FILTER (WHERE m.unidad = 'capacitaciones') "
        "AS capacitaciones, "
        "COUNT(DISTINCT h.catalogo_id) FILTER (WHERE m.unidad = 'instituciones') "
        "AS instituciones, "
        "COUNT(DISTINCT h.unidad_ref) FILTER (WHERE m.unidad = 'complejos' "
        "AND h.es_complejo) AS complejos, "
        "COUNT(DISTINCT to_char(h.fecha, 'YYYY-MM')) FILTER (WHERE m.unidad = 'meses') "
        "AS meses, "
        "COUNT(DISTINCT c.codigo) FILTER (WHERE m.unidad = 'nombradas' "
        "AND c.codigo = ANY(m.instituciones)) AS nombradas "
        f"FROM {_tabla('indicadores_hecho')} h"
        f"{_atribucion_join()} "
        f"JOIN {_tabla('indicadores_metaanual')} m "
        f"  ON m.accion_id = ac.id AND h.fecha BETWEEN m.inicio AND m.plazo "
        f"WHERE NOT (m.unidad = ANY(%s)) "
        f"GROUP BY m.id"
    )
    return {
        fila["meta_id"]: fila for fila in _consultar(sql, [list(UNIDADES_MANUALES)])
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
    *, hoy: date | None = None, logrados: dict[int, dict[str, Any]] | None = None
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
        if meta.unidad in UNIDADES_MANUALES:
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


@dataclass
class CursoPorVersion:
    """Personas capacitadas por versión de un curso, en todo el país (issue 16)."""

    curso: str
    version_vigente: int
    por_version: list[tuple[int, int]]
    desactualizadas: int


def personas_por_version() -> list[CursoPorVersion]:
    """Para cada curso, cuántas personas distintas se capacitaron en cada versión
    mayor y cuántas siguen solo en una anterior a la vigente.

    No cambia ningún indicador: un hecho queda como se registró («capacitado en el
    año Y» no depende de versiones). Un curso se identifica por su título, así el
    mismo curso del currículo en varios sitios suma en una fila (quien lo hizo en dos
    sitios cuenta en ambos); la versión vigente es la que publicó cada sitio
    (``VersionNacional``). Solo hechos vigentes: los revocados ya se retiraron.
    """
    hecho = _tabla("indicadores_hecho")
    de_cursos = f"FROM {hecho} WHERE tipo = 'curso' AND curso_ref <> ''"
    # Todo se agrupa por curso_ref (collation C, sin ordenar textos con reglas del
    # idioma); el título se pone después. Medido: ~1 s con 100 000 hechos de curso
    # en la máquina de 2 núcleos con carga 6 (la versión en Python tardaba 2,2 s).
    por_version = _consultar(
        f"SELECT curso_ref, COALESCE(version_mayor, 1) AS v, "
        f"COUNT(DISTINCT persona) AS personas {de_cursos} GROUP BY 1, 2"
    )
    atrasadas = _consultar(
        f"""SELECT x.curso_ref, COALESCE(vn.numero, 1) AS vigente, vn.curso,
               COUNT(*) FILTER (WHERE x.maxv < COALESCE(vn.numero, 1)) AS atrasadas
        FROM (SELECT curso_ref, persona, MAX(COALESCE(version_mayor, 1)) AS maxv
              {de_cursos} GROUP BY 1, 2) x
        LEFT JOIN {_tabla("indicadores_versionnacional")} vn
          ON vn.curso_ref = x.curso_ref
        GROUP BY 1, 2, 3"""
    )
    # El título de los hechos propios del curso (uno de actualización pone al día
    # otro curso y su título no sirve): una fila por curso y año.
    titulos = {
        f["curso_ref"]: f["actividad"]
        for f in _consultar(
            f"SELECT DISTINCT curso_ref, actividad_ref, actividad {de_cursos}"
        )
        if f["actividad_ref"].startswith(f"curso:{f['curso_ref']}:")
    }
    resultado: dict[str, dict[str, Any]] = {}
    for f in atrasadas:
        titulo = f["curso"] or titulos.get(f["curso_ref"], f["curso_ref"])
        fila = resultado.setdefault(
            titulo, {"vigente": 0, "atrasadas": 0, "versiones": {}}
        )
        fila["vigente"] = max(fila["vigente"], f["vigente"])
        fila["atrasadas"] += f["atrasadas"]
        titulos[f["curso_ref"]] = titulo
    for f in por_version:
        versiones = resultado[titulos[f["curso_ref"]]]["versiones"]
        versiones[f["v"]] = versiones.get(f["v"], 0) + f["personas"]
    return [
        CursoPorVersion(
            curso=titulo,
            version_vigente=fila["vigente"],
            por_version=sorted(fila["versiones"].items()),
            desactualizadas=fila["atrasadas"],
        )
        for titulo, fila in sorted(resultado.items())
    ]
