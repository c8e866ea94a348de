"""Lecturas de progreso que comparten las vistas, con un número fijo de consultas."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from tenants.roles import nombre_visible
from verificacion.estados import certificado_estado, vencido, vencimiento_calcular
from verificacion.models import EstadoCertificado

from .choices import EstadoCurso
from .models import (
    CursoPage,
    Inscripcion,
    LeccionCompletada,
    LeccionPage,
    VersionCurso,
)

Usuario = User | AnonymousUser


def inscripcion_estado(
    *,
    completado_at: dt.datetime | None,
    vigencia_meses: int | None,
    con_avance: bool,
    certificado_estado_guardado: str | None = None,
    certificado_vence: dt.datetime | None = None,
    hoy: dt.date | None = None,
) -> str:
    """El estado efectivo de una inscripción: la regla única (DESIGN.md §5.4).

    No iniciado, en curso, completado, vencido, revocado o en versión anterior. Con
    certificado, manda su estado efectivo (verificacion/estados.py): revocado, vencido
    o versión anterior se leen de él, y un
    certificado reemplazado por una recertificación deja su ciclo «completado». Sin
    certificado todavía (la emisión va en una tarea), el vencimiento se calcula con la
    vigencia del curso, con la misma regla: ``vigencia_meses = 0`` no vence.
    """
    if completado_at is None:
        # Aquí entra «Lecciones completas · falta la evaluación».
        return EstadoCurso.EN_CURSO if con_avance else EstadoCurso.NO_INICIADO
    if certificado_estado_guardado is not None:
        estado = certificado_estado(
            estado=certificado_estado_guardado, vence=certificado_vence, hoy=hoy
        )
        if estado == EstadoCertificado.REVOCADO:
            return EstadoCurso.REVOCADO
        if estado == EstadoCertificado.VENCIDO:
            return EstadoCurso.VENCIDO
        if estado == EstadoCertificado.VERSION_ANTERIOR:
            return EstadoCurso.VERSION_ANTERIOR
        return EstadoCurso.COMPLETADO
    vence = vencimiento_calcular(desde=completado_at, vigencia_meses=vigencia_meses)
    return EstadoCurso.VENCIDO if vencido(vence, hoy) else EstadoCurso.COMPLETADO


def certificados_de_inscripciones(
    ids: Iterable[int],
) -> dict[int, tuple[str, dt.datetime | None]]:
    """(estado guardado, vence) del certificado de cada inscripción, en una consulta.

    Se lee por la relación inversa: cursos no importa certificados (DESIGN.md §4).
    """
    filas = Inscripcion.objects.filter(
        pk__in=ids, certificado__isnull=False
    ).values_list("pk", "certificado__estado", "certificado__vence_at")
    return {pk: (estado, vence) for pk, estado, vence in filas}


def inscripcion_vigente(*, usuario: Usuario, curso: CursoPage) -> Inscripcion | None:
    """La inscripción del ciclo más reciente, o None.

    Trae en la misma consulta lo que ``avances`` necesita de ella (lecciones
    completadas, primera evaluación final sin aprobar y certificado): las páginas de
    curso y de lección leen su progreso sin tres consultas más.
    """
    if not usuario.is_authenticated:
        return None
    return (
        _con_progreso(Inscripcion.objects.filter(usuario=usuario, curso=curso))
        .order_by("-ciclo")
        .first()
    )


def inscripcion_de_leccion(
    *, usuario: Usuario, leccion: LeccionPage
) -> Inscripcion | None:
    """La inscripción vigente en el curso publicado de ``leccion``, con su curso y
    su progreso, en una sola consulta (el curso se busca por el path de la lección).

    None si no hay sesión, si la persona no está inscrita o si el curso no está
    publicado.
    """
    if not usuario.is_authenticated:
        return None
    return (
        _con_progreso(
            Inscripcion.objects.filter(
                usuario=usuario,
                curso__path=leccion.path[: -leccion.steplen],
                curso__live=True,
            )
        )
        .select_related("curso")
        .order_by("-ciclo")
        .first()
    )


def _con_progreso(inscripciones: QuerySet[Inscripcion]) -> QuerySet[Inscripcion]:
    """Anota el progreso de cada inscripción con subconsultas, sin GROUP BY."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import Case, Exists, F, OuterRef, Subquery, Value, When

    from evaluaciones.models import Evaluacion, Intento

    # En un ciclo nuevo solo cuentan los intentos iniciados desde que se abrió
    # (services.intentos_desde_inscripcion); en el primero, todos.
    aprobadas = Intento.objects.filter(
        evaluacion=OuterRef("pk"),
        usuario_id=OuterRef(OuterRef("usuario_id")),
        aprobado=True,
        iniciado_at__gte=OuterRef(OuterRef("_pre_intentos_desde")),
    )
    return inscripciones.annotate(
        _pre_intentos_desde=Case(
            When(ciclo__lte=1, then=Value(dt.datetime.min.replace(tzinfo=dt.UTC))),
            default=F("created_at"),
        )
    ).annotate(
        _pre_completadas=ArraySubquery(
            LeccionCompletada.objects.filter(inscripcion=OuterRef("pk")).values(
                "leccion_id"
            )
        ),
        _pre_evaluacion_id=Subquery(
            Evaluacion.objects.filter(curso_id=OuterRef("curso_id"))
            .filter(~Exists(aprobadas))
            .order_by("pk")
            .values("pk")[:1]
        ),
        _pre_certificado_estado=F("certificado__estado"),
        _pre_certificado_vence=F("certificado__vence_at"),
    )


def lecciones_de_cursos(cursos: list[CursoPage]) -> dict[int, list[LeccionPage]]:
    """Lecciones publicadas de varios cursos, en orden, con una sola consulta."""
    if not cursos:
        return {}
    por_path = {c.path: c.pk for c in cursos}
    largo = len(cursos[0].path)
    lecciones = (
        LeccionPage.objects.live()
        .filter(depth=cursos[0].depth + 1)
        .filter(path__regex=r"^(" + "|".join(por_path) + ")")
        .only(
            "id", "title", "slug", "url_path", "path", "depth", "minutos", "obligatoria"
        )
        .order_by("path")
    )
    resultado: dict[int, list[LeccionPage]] = defaultdict(list)
    for leccion in lecciones:
        curso_id = por_path.get(leccion.path[:largo])
        if curso_id is not None:
            resultado[curso_id].append(leccion)
    return resultado


@dataclass
class Avance:
    inscripcion: Inscripcion
    lecciones: list[LeccionPage]
    completadas: set[int]
    # Evaluación final del curso que falta aprobar (la primera), o None.
    evaluacion_pendiente: object | None = field(default=None)
    # (estado guardado, vence) del certificado de la inscripción, si tiene.
    certificado: tuple[str, dt.datetime | None] | None = field(default=None)

    @property
    def total_obligatorias(self) -> int:
        return sum(1 for x in self.lecciones if x.obligatoria)

    @property
    def hechas_obligatorias(self) -> int:
        return sum(
            1 for x in self.lecciones if x.obligatoria and x.pk in self.completadas
        )

    @property
    def porcentaje(self) -> int:
        if self.inscripcion.completado_at is not None:
            return 100
        total = self.total_obligatorias
        return round(100 * self.hechas_obligatorias / total) if total else 0

    @property
    def falta_evaluacion(self) -> bool:
        """Lecciones obligatorias listas, pero la evaluación final aún sin aprobar."""
        return (
            self.inscripcion.completado_at is None
            and self.evaluacion_pendiente is not None
            and self.hechas_obligatorias == self.total_obligatorias
        )

    @property
    def estado(self) -> str:
        if self.falta_evaluacion:
            return EstadoCurso.LECCIONES_COMPLETAS
        estado, vence = self.certificado or (None, None)
        return inscripcion_estado(
            completado_at=self.inscripcion.completado_at,
            vigencia_meses=self.inscripcion.curso.vigencia_meses,
            con_avance=bool(self.completadas),
            certificado_estado_guardado=estado,
            certificado_vence=vence,
        )

    @property
    def leccion_siguiente(self) -> LeccionPage | None:
        """Punto de retorno: la última vista, o la primera sin completar."""
        ultima = self.inscripcion.ultima_leccion_id
        for leccion in self.lecciones:
            if leccion.pk == ultima and leccion.pk not in self.completadas:
                return leccion
        for leccion in self.lecciones:
            if leccion.pk not in self.completadas:
                return leccion
        return self.lecciones[0] if self.lecciones else None


_PROGRESO = (
    "_pre_completadas",
    "_pre_evaluacion_id",
    "_pre_certificado_estado",
    "_pre_certificado_vence",
)


def avances(
    inscripciones: QuerySet[Inscripcion] | list[Inscripcion],
    *,
    lecciones: dict[int, list[LeccionPage]] | None = None,
) -> list[Avance]:
    """Progreso de varias inscripciones en un número fijo de consultas, sin importar
    cuántas sean.

    El progreso (lecciones completadas, primera evaluación final sin aprobar y
    certificado) es el que anota ``_con_progreso``: las que ya vienen anotadas
    (``inscripcion_vigente``, ``inscripcion_de_leccion``) no cuestan nada más; las
    demás se anotan juntas en una consulta. Quien ya leyó las lecciones de los cursos
    las pasa en ``lecciones`` y se ahorra esa consulta.
    """
    from evaluaciones.models import Evaluacion

    inscripciones = list(inscripciones)
    sin_progreso = {i.pk: i for i in inscripciones if not hasattr(i, _PROGRESO[0])}
    if sin_progreso:
        filas = _con_progreso(Inscripcion.objects.filter(pk__in=sin_progreso))
        for pk, *valores in filas.values_list("pk", *_PROGRESO):
            for nombre, valor in zip(_PROGRESO, valores, strict=True):
                setattr(sin_progreso[pk], nombre, valor)
    if lecciones is None:
        cursos = list({i.curso_id: i.curso for i in inscripciones}.values())
        lecciones = {}
        for depth in {c.depth for c in cursos}:
            lecciones.update(
                lecciones_de_cursos([c for c in cursos if c.depth == depth])
            )
    resultado = []
    # Los atributos _pre_* los anota _con_progreso (o el bucle de arriba).
    anotadas: list[Any] = inscripciones
    for i in anotadas:
        evaluacion_id = i._pre_evaluacion_id if i.completado_at is None else None
        resultado.append(
            Avance(
                i,
                lecciones.get(i.curso_id, []),
                set(i._pre_completadas),
                # Solo se usa su pk (enlace a la evaluación) y que no sea None.
                evaluacion_pendiente=(
                    Evaluacion(pk=evaluacion_id, curso_id=i.curso_id)
                    if evaluacion_id is not None
                    else None
                ),
                certificado=(
                    (i._pre_certificado_estado, i._pre_certificado_vence)
                    if i._pre_certificado_estado is not None
                    else None
                ),
            )
        )
    return resultado


@dataclass
class Desactualizada:
    """Una persona capacitada en una versión mayor anterior a la vigente."""

    usuario: Any
    unidad: Any
    version: str
    completado_at: dt.datetime | None
    actualizacion: Inscripcion | None = None


def desactualizados(*, version: VersionCurso) -> list[Desactualizada]:
    """Quienes completaron el curso de ``version`` en una versión mayor anterior y no
    se han puesto al día (issue 16), por unidad actual y nombre.

    Cuenta la última completitud de cada persona; un certificado revocado no cuenta
    como capacitación. ``actualizacion`` es la actualización asignada y abierta, si
    la hay (con su plazo). Tres consultas.
    """
    curso_id = version.curso_id
    del_curso = (
        Inscripcion.objects.filter(completado_at__isnull=False)
        .filter(
            Q(version__curso_id=curso_id) | Q(version__isnull=True, curso_id=curso_id)
        )
        .exclude(certificado__estado=EstadoCertificado.REVOCADO)
    )
    al_dia = del_curso.filter(version__numero__gte=version.numero).values("usuario_id")
    filas = (
        del_curso.exclude(usuario_id__in=al_dia)
        .select_related("usuario__perfil__unidad", "version")
        .order_by("usuario_id", "-completado_at")
    )
    ultimas: dict[int, Desactualizada] = {}
    for inscripcion in filas:
        if inscripcion.usuario_id in ultimas:
            continue
        perfil = getattr(inscripcion.usuario, "perfil", None)
        ultimas[inscripcion.usuario_id] = Desactualizada(
            usuario=inscripcion.usuario,
            unidad=perfil.unidad if perfil else None,
            version=inscripcion.version.etiqueta if inscripcion.version else "1.0",
            completado_at=inscripcion.completado_at,
        )
    abiertas = Inscripcion.objects.filter(
        usuario_id__in=list(ultimas),
        actualiza_version__curso_id=curso_id,
        actualiza_version__numero=version.numero,
        completado_at__isnull=True,
    ).select_related("curso")
    for abierta in abiertas:
        ultimas[abierta.usuario_id].actualizacion = abierta
    return sorted(
        ultimas.values(),
        key=lambda d: (
            d.unidad is None,
            d.unidad.nombre if d.unidad else "",
            nombre_visible(d.usuario).lower(),
        ),
    )
