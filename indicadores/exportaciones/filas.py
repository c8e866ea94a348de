"""Las filas de cada exportación: consultas que leen lo mismo que el tablero
(indicadores.selectors) y las entregan listas para ``libros``."""

from __future__ import annotations

import logging
from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from cursos.choices import EstadoCurso, Modalidad, Region, Sexo
from tenants.models import InstitucionCatalogo
from tenants.selectors import tenant_actual

from ..metodologia import DEFINICION_CAPACITADO, METODOLOGIA
from ..models import Exportacion, Hecho, ModalidadHecho, Plan
from ..selectors import (
    EstadoMeta,
    anios_del_porcentaje,
    etiquetas_sexo,
    indicadores_calcular,
    metas_avance,
    poblacion_tenant,
    porcentaje_nacional,
    porcentaje_por_unidad,
    unidades_con_dotacion,
)

logger = logging.getLogger(__name__)

TIPOS_TENANT = {
    Exportacion.Tipo.NOMINA,
    Exportacion.Tipo.UNIDADES,
    Exportacion.Tipo.CERTIFICADOS,
}
TIPOS_PUBLICOS = {Exportacion.Tipo.PLAN}


def es_publico() -> bool:
    return connection.schema_name == get_public_schema_name()


def _persona(rut, apellidos, nombres, institucion, unidad) -> list:
    """Las primeras columnas de cada hoja de la nómina: quién es y dónde está."""
    return [rut or "", apellidos, nombres, institucion or "", unidad or ""]


def nomina_anio(filtros: dict) -> int:
    try:
        return int(filtros.get("anio") or timezone.localdate().year)
    except (TypeError, ValueError):
        return timezone.localdate().year


def nomina_consulta(filtros: dict):
    from cursos.models import Inscripcion, LeccionCompletada

    qs = Inscripcion.objects.all()
    if filtros.get("unidad_id"):
        qs = qs.filter(usuario__perfil__unidad_id=filtros["unidad_id"])
    return qs.annotate(
        con_avance=Exists(LeccionCompletada.objects.filter(inscripcion=OuterRef("pk")))
    )


def sin_inscripcion_consulta(filtros: dict):
    from cursos.models import Inscripcion, Perfil

    qs = Perfil.objects.exclude(
        Exists(Inscripcion.objects.filter(usuario_id=OuterRef("usuario_id")))
    )
    if filtros.get("unidad_id"):
        qs = qs.filter(unidad_id=filtros["unidad_id"])
    return qs


def personas_consulta(filtros: dict):
    """Quien tiene perfil, alguna inscripción o alguna asistencia: todas las personas
    que el tablero puede contar."""
    from django.contrib.auth import get_user_model

    from cursos.models import Asistencia, Inscripcion, Perfil

    qs = get_user_model().objects.filter(
        Exists(Perfil.objects.filter(usuario_id=OuterRef("pk")))
        | Exists(Inscripcion.objects.filter(usuario_id=OuterRef("pk")))
        | Exists(Asistencia.objects.filter(usuario_id=OuterRef("pk")))
    )
    if filtros.get("unidad_id"):
        qs = qs.filter(perfil__unidad_id=filtros["unidad_id"])
    return qs


def asistencias_consulta(filtros: dict):
    from cursos.models import Asistencia

    qs = Asistencia.objects.all()
    if filtros.get("unidad_id"):
        qs = qs.filter(usuario__perfil__unidad_id=filtros["unidad_id"])
    return qs


def hechos_por_usuario(anio: int) -> dict[int, list]:
    """usuario → [cursos, jornadas, en el %, sin dotación], con hechos de ``anio``.

    Lee los mismos hechos que cuenta el tablero (indicadores.selectors): «capacitado en
    el año» es tener al menos uno. Un certificado revocado ya retiró el suyo. La persona
    entra en el % si alguno de sus hechos es de una unidad (la del momento) con
    dotación, y en la línea «sin dotación informada» si alguno no lo es: las mismas dos
    cifras del tablero (``poblacion_tenant``).
    """
    from cursos.models import Asistencia, Inscripcion

    tenant_id = tenant_actual().pk
    con_dotacion = unidades_con_dotacion(anio=anio, tenant_id=tenant_id)
    hechos = Hecho.objects.filter(
        tenant_id=tenant_id,
        fecha__gte=date(anio, 1, 1),
        fecha__lt=date(anio + 1, 1, 1),
    )
    conteo: dict[int, list] = {}
    for posicion, modelo, tipo in (
        (0, Inscripcion, Hecho.Tipo.CURSO),
        (1, Asistencia, Hecho.Tipo.JORNADA),
    ):
        unidad_de = dict(
            hechos.filter(tipo=tipo).values_list("origen_id", "unidad_ref")
        )
        usuarios = modelo.objects.filter(pk__in=list(unidad_de)).values_list(
            "pk", "usuario_id"
        )
        for origen_id, usuario_id in usuarios:
            fila = conteo.setdefault(usuario_id, [0, 0, False, False])
            fila[posicion] += 1
            if unidad_de[origen_id] in con_dotacion:
                fila[2] = True
            else:
                fila[3] = True
    return conteo


def nomina_personas_filas(filtros: dict):
    """Una fila por persona con la misma columna «capacitado» que el tablero: sus
    «Sí» suman la cifra de personas capacitadas del año."""
    from certificados.selectors import vigentes_hoy_usuarios

    regiones = {k: str(v) for k, v in Region.choices}
    sexos = {k: str(v) for k, v in Sexo.choices}
    si, no = _("Sí"), _("No")
    por_usuario = hechos_por_usuario(nomina_anio(filtros))
    vigentes = vigentes_hoy_usuarios()
    qs = (
        personas_consulta(filtros)
        .order_by("last_name", "first_name", "pk")
        .values_list(
            "pk",
            "perfil__rut",
            "last_name",
            "first_name",
            "perfil__institucion__nombre",
            "perfil__unidad__nombre",
            "perfil__unidad__region",
            "perfil__sexo",
        )
    )
    for pk, rut, apellidos, nombres, institucion, unidad, region, sexo in qs.iterator(
        chunk_size=5000
    ):
        cursos, jornadas, en_porcentaje, sin_dotacion = por_usuario.get(
            pk, (0, 0, False, False)
        )
        yield [
            *_persona(rut, apellidos, nombres, institucion, unidad),
            regiones.get(region or "", ""),
            sexos.get(sexo or "", ""),
            si if cursos or jornadas else no,
            si if en_porcentaje else no,
            si if sin_dotacion else no,
            cursos,
            jornadas,
            si if pk in vigentes else no,
        ]


def nomina_filas(filtros: dict):
    """Una fila por inscripción, con el estado efectivo (cursos.selectors)."""
    from cursos.selectors import inscripcion_estado

    regiones = {k: str(v) for k, v in Region.choices}
    sexos = {k: str(v) for k, v in Sexo.choices}
    estados = {k: str(v) for k, v in EstadoCurso.choices}
    hoy = timezone.localdate()
    campos = (
        "usuario__perfil__rut",
        "usuario__last_name",
        "usuario__first_name",
        "usuario__perfil__institucion__nombre",
        "usuario__perfil__unidad__nombre",
        "usuario__perfil__unidad__region",
        "usuario__perfil__sexo",
        "curso__title",
        "ciclo",
        "created_at",
        "completado_at",
        "curso__vigencia_meses",
        "con_avance",
        "certificado__estado",
        "certificado__vence_at",
    )
    qs = (
        nomina_consulta(filtros)
        .order_by("usuario__last_name", "usuario__first_name", "usuario_id", "ciclo")
        .values_list(*campos)
    )
    for (
        rut,
        apellidos,
        nombres,
        institucion,
        unidad,
        region,
        sexo,
        curso,
        ciclo,
        inscrito,
        completado,
        vigencia,
        con_avance,
        certificado_estado,
        certificado_vence,
    ) in qs.iterator(chunk_size=5000):
        estado = inscripcion_estado(
            completado_at=completado,
            vigencia_meses=vigencia,
            con_avance=con_avance,
            certificado_estado_guardado=certificado_estado,
            certificado_vence=certificado_vence,
            hoy=hoy,
        )
        yield [
            *_persona(rut, apellidos, nombres, institucion, unidad),
            regiones.get(region or "", ""),
            sexos.get(sexo or "", ""),
            curso,
            ciclo,
            estados[estado],
            timezone.localdate(inscrito),
            timezone.localdate(completado) if completado else None,
        ]
    sin = (
        sin_inscripcion_consulta(filtros)
        .order_by("usuario__last_name", "usuario__first_name")
        .values_list(
            "rut",
            "usuario__last_name",
            "usuario__first_name",
            "institucion__nombre",
            "unidad__nombre",
            "unidad__region",
            "sexo",
        )
    )
    sin_texto = _("Sin inscripciones")
    for rut, apellidos, nombres, institucion, unidad, region, sexo in sin.iterator(
        chunk_size=5000
    ):
        yield [
            *_persona(rut, apellidos, nombres, institucion, unidad),
            regiones.get(region or "", ""),
            sexos.get(sexo or "", ""),
            "",
            None,
            sin_texto,
            None,
            None,
        ]


def nomina_jornadas_filas(filtros: dict):
    """Una fila por asistencia a jornada: lo que el tablero cuenta además de cursos."""
    modalidades = {k: str(v) for k, v in Modalidad.choices}
    qs = (
        asistencias_consulta(filtros)
        .order_by("usuario__last_name", "usuario__first_name", "jornada__inicio")
        .values_list(
            "usuario__perfil__rut",
            "usuario__last_name",
            "usuario__first_name",
            "usuario__perfil__institucion__nombre",
            "usuario__perfil__unidad__nombre",
            "jornada__tema",
            "jornada__curso__title",
            "jornada__inicio",
            "jornada__acciones_plan",
            "jornada__modalidad",
        )
    )
    for (
        rut,
        apellidos,
        nombres,
        institucion,
        unidad,
        tema,
        curso,
        inicio,
        acciones,
        modalidad,
    ) in qs.iterator(chunk_size=5000):
        yield [
            *_persona(rut, apellidos, nombres, institucion, unidad),
            # El título de la jornada (Jornada.titulo): el tema o el curso que dicta.
            tema or curso or "",
            timezone.localdate(inicio),
            ", ".join(acciones or []),
            modalidades.get(modalidad, modalidad),
        ]


def certificados_consulta(filtros: dict):
    # El modelo lo construye la app certificados; aquí solo se lee.
    from certificados.models import Certificado

    qs = Certificado.objects.all()
    if filtros.get("unidad_id"):
        qs = qs.filter(usuario__perfil__unidad_id=filtros["unidad_id"])
    return qs


def certificados_filas(filtros: dict):
    """Una fila por certificado, con el estado efectivo de hoy (la regla única de
    verificacion/estados.py, la misma de la lista y de la verificación)."""
    from certificados.models import Certificado
    from verificacion.estados import certificado_estado

    estados = {k: str(v) for k, v in Certificado.Estado.choices}
    hoy = timezone.localdate()
    qs = (
        certificados_consulta(filtros)
        .order_by("titular_nombre", "emitido_at")
        .values_list(
            "codigo",
            "titular_nombre",
            "usuario__perfil__unidad__nombre",
            "curso_titulo",
            "ciclo",
            "horas",
            "emitido_at",
            "vence_at",
            "estado",
        )
    )
    for (
        codigo,
        titular,
        unidad,
        curso,
        ciclo,
        horas,
        emitido,
        vence,
        estado,
    ) in qs.iterator(chunk_size=5000):
        yield [
            codigo,
            titular,
            unidad or "",
            curso,
            ciclo,
            float(horas),
            timezone.localdate(emitido),
            timezone.localdate(vence) if vence else None,
            estados[certificado_estado(estado=estado, vence=vence, hoy=hoy)],
        ]


def nomina_estimar(filtros: dict) -> int:
    return (
        personas_consulta(filtros).count()
        + nomina_consulta(filtros).count()
        + sin_inscripcion_consulta(filtros).count()
        + asistencias_consulta(filtros).count()
    )


def unidades_datos(*, anio: int, tenant_id: int) -> tuple[list[dict], dict]:
    """% por unidad y el total con la misma población (indicadores.selectors).

    ``total`` trae la línea «sin dotación informada»: personas capacitadas en unidades
    sin dotación (o sin unidad), que no entran al numerador.
    """
    filas = porcentaje_por_unidad(anio=anio, tenant_id=tenant_id)
    total = poblacion_tenant(anio=anio, tenant_id=tenant_id)
    return filas, total


ETIQUETAS = {
    "sector": dict(InstitucionCatalogo.Sector.choices),
    "region": dict(Region.choices),
    "modalidad": dict(ModalidadHecho.choices),
}


def _categoria(dim: str, fila: dict) -> str:
    if dim == "tenant":
        return fila["tenant_nombre"]
    if dim == "catalogo":
        return fila["catalogo_nombre"] or str(_("Sin institución del catálogo"))
    valor = fila[dim] or ""
    if dim == "sexo":
        return str(etiquetas_sexo().get(valor, valor))
    return str(ETIQUETAS[dim].get(valor, valor)) or _("Sin dato")


def porcentaje_tabla(porcentajes: list[dict]) -> list[list]:
    """Filas del % nacional (tablero MITP y libro del Plan): año, dimensión,
    categoría, dotación, capacitados, % capacitado."""
    etiquetas = {
        "sector": {k: str(v) for k, v in InstitucionCatalogo.Sector.choices},
        "region": {k: str(v) for k, v in Region.choices},
        "sexo": etiquetas_sexo(),
    }
    nombres = {
        "tenant": _("Grupo destinatario"),
        "sector": _("Sector"),
        "institucion": _("Institución"),
        "region": _("Región"),
        "sexo": _("Sexo"),
    }
    filas = []
    for p in porcentajes:
        anio, total = p["anio"], p["total"]
        filas.append(
            [
                anio,
                str(_("Total")),
                str(_("Todas las unidades con dotación")),
                total.get("dotacion"),
                total.get("capacitados", 0),
                total.get("porcentaje"),
            ]
        )
        for dim, titulo in nombres.items():
            for f in p["por"].get(dim, []):
                nombre = f["nombre"]
                if dim in etiquetas:
                    nombre = etiquetas[dim].get(f["clave"] or "", nombre)
                filas.append(
                    [
                        anio,
                        str(titulo),
                        str(nombre or _("Sin dato")),
                        f["dotacion"],
                        f["capacitados"],
                        f["porcentaje"],
                    ]
                )
        filas.append(
            [
                anio,
                str(_("Sin dotación informada")),
                str(_("Capacitados en unidades sin dotación (fuera del %)")),
                None,
                p["sin_dotacion"],
                None,
            ]
        )
        cob = p["cobertura"]
        filas.append(
            [
                anio,
                str(_("Dotación informada")),
                _("%(con)s de %(total)s unidades informaron dotación")
                % {"con": cob["con_dotacion"], "total": cob["unidades"]},
                None,
                None,
                cob["porcentaje"],
            ]
        )
    return filas


def plan_datos(*, hoy=None) -> dict:
    """Hojas del libro del Plan: resumen de metas, desgloses y metodología."""
    hoy = hoy or timezone.localdate()
    estados = {k: str(v) for k, v in EstadoMeta.choices}
    avances = metas_avance(hoy=hoy)
    resumen = [
        [
            a.accion.codigo,
            a.accion.eje.numero,
            a.accion.indicador,
            a.meta.anio,
            a.meta.get_unidad_display(),
            a.meta.valor,
            a.logrado,
            a.porcentaje,
            estados[a.estado],
            a.meta.inicio,
            a.meta.plazo,
        ]
        for a in avances
    ]
    codigos = list(dict.fromkeys(a.accion.codigo for a in avances))
    desgloses: dict[str, list[list]] = {c: [] for c in codigos}
    metricas = ("capacitados", "capacitaciones", "instituciones", "complejos")
    for fila in indicadores_calcular(agrupar_por=["accion", "anio"]):
        if fila["accion"] in desgloses:
            desgloses[fila["accion"]].append(
                [fila["anio"], _("Total"), _("Todas")] + [fila[m] for m in metricas]
            )
    dimensiones = [
        ("tenant", ["tenant"], _("Tenant")),
        ("catalogo", ["catalogo"], _("Institución")),
        ("sector", ["sector"], _("Sector")),
        ("region", ["region"], _("Región")),
        ("sexo", ["sexo"], _("Sexo")),
        ("modalidad", ["modalidad"], _("Modalidad")),
    ]
    for dim, grupo, nombre in dimensiones:
        for fila in indicadores_calcular(agrupar_por=["accion", "anio", *grupo]):
            if fila["accion"] in desgloses:
                desgloses[fila["accion"]].append(
                    [fila["anio"], str(nombre), _categoria(dim, fila)]
                    + [fila[m] for m in metricas]
                )
    for filas in desgloses.values():
        filas.sort(key=lambda f: (f[0], f[1] != _("Total")))
    porcentajes = porcentaje_tabla(
        [porcentaje_nacional(anio=a) for a in anios_del_porcentaje(hoy)]
    )
    plan = Plan.objects.first()
    periodo = f"{plan.inicio:%d-%m-%Y} a {plan.fin:%d-%m-%Y}" if plan else ""
    metodologia = [
        (
            _("Fuente"),
            _(
                "Plan de Acción Nacional contra la Trata de Personas 2023-2026, "
                "capítulo 7. Hechos registrados por la plataforma Capacita."
            ),
        ),
        (_("Periodo del plan"), periodo),
        (_("Fecha de extracción"), timezone.localtime().strftime("%d-%m-%Y %H:%M")),
        (_("Capacitado"), str(DEFINICION_CAPACITADO)),
        *((str(titulo), str(texto)) for titulo, texto in METODOLOGIA),
    ]
    return {
        "resumen": resumen,
        "desgloses": desgloses,
        "metodologia": metodologia,
        "porcentajes": porcentajes,
    }
