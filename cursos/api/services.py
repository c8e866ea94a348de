"""Escrituras de la API. Cada una usa el servicio de cursos que ya aplica la regla
(nómina, dotación, inscripción) y queda en la bitácora de auditoría del tenant.

Nada se aplica fuera de la institución del token: una unidad o una persona de otra
institución se rechaza como si no existiera.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from cursos.models import CursoPage, Dotacion, Perfil, Unidad
from cursos.services import inscripcion_crear, inscripciones_crear_por_unidad
from cursos.services.nomina import (
    ResultadoPersonas,
    dotacion_guardar,
    personas_guardar_lote,
)

from .models import TokenAPI


def api_auditar(token: TokenAPI, accion: str, **detalle: object) -> None:
    """Registra una operación de la API (REST o SCIM) en la bitácora del tenant. Sin
    RUT ni nombres: cuántos, qué token y sobre qué ids."""
    auditoria_registrar(
        objeto=token,
        accion="capacita.api",
        detalle={
            "operacion": accion,
            "token": token.pk,
            "prefijo": token.prefijo,
            **detalle,
        },
    )


def unidades_de(token: TokenAPI, ids: Iterable[int]) -> dict[int, Unidad]:
    return {
        u.pk: u
        for u in Unidad.objects.select_related("institucion").filter(
            institucion_id=token.institucion_id, pk__in=set(ids)
        )
    }


def unidad_de(token: TokenAPI, unidad_id: int, campo: str = "unidad_id") -> Unidad:
    unidad = unidades_de(token, [unidad_id]).get(unidad_id)
    if unidad is None:
        raise ValidationError(
            {campo: _("La unidad no existe en la institución del token.")}
        )
    return unidad


def curso_publicado(curso_id: int) -> CursoPage:
    curso: CursoPage | None = CursoPage.objects.live().filter(pk=curso_id).first()
    if curso is None:
        raise ValidationError(
            {"curso_id": _("El curso no existe o no está publicado.")}
        )
    return curso


@transaction.atomic
def personas_sincronizar(
    *, token: TokenAPI, personas: list[dict[str, Any]]
) -> ResultadoPersonas:
    """Crea o actualiza por RUT, todo o nada, con la misma regla que la nómina xlsx.

    Antes de escribir se revisa cada fila: la unidad debe ser de la institución del
    token y la persona, si existe, no puede ser de otra institución. Si alguna falla,
    no se aplica ninguna.
    """
    unidades = unidades_de(token, [p["unidad_id"] for p in personas])
    ajenas = set(
        Perfil.objects.filter(rut__in=[p["rut"] for p in personas])
        .exclude(institucion_id=token.institucion_id)
        .exclude(institucion__isnull=True)
        .values_list("rut", flat=True)
    )
    errores = {}
    for i, persona in enumerate(personas):
        if persona["unidad_id"] not in unidades:
            errores[f"personas[{i}].unidad_id"] = _(
                "La unidad no existe en la institución del token."
            )
        if persona["rut"] in ajenas:
            errores[f"personas[{i}].rut"] = _(
                "La persona pertenece a otra institución: este token no puede "
                "modificarla."
            )
    if errores:
        raise ValidationError(errores)
    resultado = personas_guardar_lote(
        [{**p, "unidad": unidades[p["unidad_id"]]} for p in personas]
    )
    api_auditar(
        token,
        "api_personas_sincronizar",
        creadas=resultado.creadas,
        actualizadas=resultado.actualizadas,
    )
    return resultado


@transaction.atomic
def unidad_guardar(*, token: TokenAPI, nombre: str, region: str) -> tuple[Unidad, bool]:
    """Crea la unidad en la institución del token, o actualiza su región."""
    unidad = (
        Unidad.objects.select_for_update()
        .filter(institucion_id=token.institucion_id, nombre__iexact=nombre.strip())
        .first()
    )
    creada = unidad is None
    if unidad is None:
        unidad = Unidad(institucion_id=token.institucion_id, nombre=nombre.strip())
    unidad.region = region
    unidad.full_clean()
    unidad.save()
    api_auditar(token, "api_unidad_guardar", unidad=unidad.pk, creada=creada)
    return unidad, creada


@transaction.atomic
def dotaciones_guardar(
    *, token: TokenAPI, filas: list[dict[str, Any]]
) -> list[Dotacion]:
    """Registra varias dotaciones (todo o nada) con ``dotacion_guardar``."""
    unidades = unidades_de(token, [f["unidad_id"] for f in filas])
    guardadas = []
    for i, fila in enumerate(filas):
        unidad = unidades.get(fila["unidad_id"])
        if unidad is None:
            raise ValidationError(
                {
                    f"dotaciones[{i}].unidad_id": _(
                        "La unidad no existe en la institución del token."
                    )
                }
            )
        try:
            guardadas.append(
                dotacion_guardar(
                    unidad=unidad,
                    anio=fila["anio"],
                    total=fila["total"],
                    femenino=fila.get("femenino"),
                    masculino=fila.get("masculino"),
                )
            )
        except ValidationError as exc:
            raise ValidationError({f"dotaciones[{i}]": exc.messages}) from None
    api_auditar(
        token, "api_dotacion_guardar", unidades=sorted({d.unidad_id for d in guardadas})
    )
    return guardadas


@dataclass
class ResultadoInscripciones:
    creadas: int = 0
    existentes: int = 0
    rechazadas: int = 0
    resultados: list[dict[str, Any]] = field(default_factory=list)


def inscripciones_por_personas(
    *, token: TokenAPI, curso: CursoPage, ruts: list[str]
) -> ResultadoInscripciones:
    """Inscribe por RUT a personas de la institución del token (``inscripcion_crear``).

    Cada persona se informa por su posición en la lista, nunca repitiendo el RUT.
    """
    perfiles = {
        p.rut: p
        for p in Perfil.objects.select_related("usuario").filter(
            institucion_id=token.institucion_id, rut__in=ruts
        )
    }
    resultado = ResultadoInscripciones()
    for i, rut in enumerate(ruts):
        perfil = perfiles.get(rut)
        if perfil is None:
            resultado.rechazadas += 1
            resultado.resultados.append(
                {
                    "indice": i,
                    "estado": "rechazada",
                    "motivo": _("La persona no está en la nómina de la institución."),
                }
            )
            continue
        try:
            inscripcion, creada = inscripcion_crear(usuario=perfil.usuario, curso=curso)
        except ValidationError as exc:
            resultado.rechazadas += 1
            resultado.resultados.append(
                {"indice": i, "estado": "rechazada", "motivo": " ".join(exc.messages)}
            )
            continue
        resultado.creadas += creada
        resultado.existentes += not creada
        resultado.resultados.append(
            {
                "indice": i,
                "estado": "creada" if creada else "existente",
                "inscripcion_id": inscripcion.pk,
                "persona_id": perfil.usuario_id,
            }
        )
    api_auditar(
        token,
        "api_inscripciones_personas",
        curso=curso.pk,
        creadas=resultado.creadas,
        existentes=resultado.existentes,
        rechazadas=resultado.rechazadas,
    )
    return resultado


def inscripciones_por_unidad(
    *, token: TokenAPI, curso: CursoPage, unidad: Unidad
) -> ResultadoInscripciones:
    res = inscripciones_crear_por_unidad(unidad=unidad, curso=curso, inscrito_por=None)
    resultado = ResultadoInscripciones(
        creadas=res.creadas,
        existentes=res.existentes,
        rechazadas=len(res.rechazadas),
        resultados=[
            {"estado": "rechazada", "nombre": nombre, "motivo": motivo}
            for nombre, motivo in res.rechazadas
        ],
    )
    api_auditar(
        token,
        "api_inscripciones_unidad",
        curso=curso.pk,
        unidad=unidad.pk,
        creadas=resultado.creadas,
        existentes=resultado.existentes,
        rechazadas=resultado.rechazadas,
    )
    return resultado
