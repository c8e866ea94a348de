"""Reglas de inscripción, progreso y completitud de cursos."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.concurrencia import crear_o_recuperar
from tenants.roles import nombre_visible

from ..models import CursoPage, Inscripcion, LeccionCompletada, LeccionPage, Unidad
from ..signals import curso_completado, inscripcion_asignada
from .versiones import version_de_completitud

if TYPE_CHECKING:
    from evaluaciones.models import Evaluacion

logger = logging.getLogger(__name__)


def prerrequisitos_pendientes(*, usuario: User, curso: CursoPage) -> list[CursoPage]:
    """Prerrequisitos del curso que el usuario aún no completa."""
    requeridos = list(curso.prerrequisitos.all())
    if not requeridos:
        return []
    completados = set(
        Inscripcion.objects.filter(
            usuario=usuario, curso__in=requeridos, completado_at__isnull=False
        ).values_list("curso_id", flat=True)
    )
    return [c for c in requeridos if c.pk not in completados]


def inscripcion_crear(
    *,
    usuario: User,
    curso: CursoPage,
    inscrito_por: User | None = None,
    plazo: dt.date | None = None,
    motivo: str = "asignada",
) -> tuple[Inscripcion, bool]:
    """Inscribe al usuario en el ciclo vigente del curso. Idempotente.

    Devuelve (inscripción, creada). Lanza ValidationError si el curso no está
    publicado o faltan prerrequisitos. Si otra persona la asigna (``inscrito_por``),
    envía ``inscripcion_asignada`` con ``motivo``; ``plazo`` es la fecha límite.
    """
    existente = (
        Inscripcion.objects.filter(usuario=usuario, curso=curso)
        .order_by("-ciclo")
        .first()
    )
    if existente is not None:
        return existente, False
    if not curso.live:
        raise ValidationError(
            _("El curso «%(curso)s» no está publicado; no admite inscripciones.")
            % {"curso": curso.title},
            code="no_publicado",
        )
    pendientes = prerrequisitos_pendientes(usuario=usuario, curso=curso)
    if pendientes:
        raise ValidationError(
            _("Antes de inscribirse en «%(curso)s» debe completar: %(lista)s.")
            % {"curso": curso.title, "lista": ", ".join(c.title for c in pendientes)},
            code="prerrequisitos",
        )
    inscripcion, creada = crear_o_recuperar(
        lambda: Inscripcion.objects.create(
            usuario=usuario,
            curso=curso,
            ciclo=1,
            inscrito_por=inscrito_por,
            plazo=plazo,
        ),
        lambda: Inscripcion.objects.get(usuario=usuario, curso=curso, ciclo=1),
    )
    if creada and inscrito_por is not None:
        inscripcion_asignada.send(
            sender=Inscripcion, inscripcion=inscripcion, motivo=motivo
        )
    return inscripcion, creada


@dataclass
class ResultadoInscripcionUnidad:
    creadas: int = 0
    existentes: int = 0
    rechazadas: list[tuple[str, str]] = field(default_factory=list)


def inscripciones_crear_por_unidad(
    *,
    unidad: Unidad,
    curso: CursoPage,
    inscrito_por: User | None,
    plazo: dt.date | None = None,
) -> ResultadoInscripcionUnidad:
    """Inscribe a toda la unidad e informa quién no cumple los requisitos."""
    resultado = ResultadoInscripcionUnidad()
    perfiles = unidad.perfiles.select_related("usuario").filter(usuario__is_active=True)
    for perfil in perfiles:
        try:
            _inscripcion, creada = inscripcion_crear(
                usuario=perfil.usuario,
                curso=curso,
                inscrito_por=inscrito_por,
                plazo=plazo,
            )
        except ValidationError as exc:
            nombre = nombre_visible(perfil.usuario)
            resultado.rechazadas.append((nombre, " ".join(exc.messages)))
            continue
        if creada:
            resultado.creadas += 1
        else:
            resultado.existentes += 1
    return resultado


def leccion_visitar(*, inscripcion: Inscripcion, leccion: LeccionPage) -> None:
    """Guarda el punto de retorno («continuar donde quedé»)."""
    if inscripcion.ultima_leccion_id != leccion.pk:
        Inscripcion.objects.filter(pk=inscripcion.pk).update(ultima_leccion=leccion)
        inscripcion.ultima_leccion_id = leccion.pk


def leccion_completar(*, inscripcion: Inscripcion, leccion: LeccionPage) -> bool:
    """Marca la lección como completada y evalúa si el curso quedó completo.

    Devuelve True si esta llamada completó el curso.
    """
    if leccion.get_parent().pk != inscripcion.curso_id:
        raise ValidationError(_("La lección no pertenece a este curso."))
    pendientes = actividades_pendientes(usuario=inscripcion.usuario, leccion=leccion)
    if pendientes:
        raise ValidationError(
            _("Para completar esta lección debe aprobar: %(lista)s.")
            % {"lista": ", ".join(pendientes)},
            code="actividad_pendiente",
        )
    with transaction.atomic():
        LeccionCompletada.objects.get_or_create(
            inscripcion=inscripcion, leccion=leccion
        )
        return curso_completar_si_corresponde(inscripcion=inscripcion)


def actividades_pendientes(*, usuario: User, leccion: LeccionPage) -> list[str]:
    """Actividades obligatorias de la lección (quiz, H5P) que el usuario no aprobó.

    Cada bloque de actividad responde por sí mismo (content.blocks.ActividadMixin), así
    esta regla no conoce los tipos concretos.
    """
    pendientes = []
    for bloque in leccion.cuerpo:
        es_actividad = getattr(bloque.block, "es_actividad", False)
        if not es_actividad or not bloque.value.get("obligatoria"):
            continue
        if not bloque.block.aprobada(usuario, bloque.value):
            pendientes.append(str(bloque.block.label))
    return pendientes


def intentos_desde_inscripcion(inscripcion: Inscripcion) -> dt.datetime | None:
    """Desde cuándo cuentan los intentos de la evaluación final para esta inscripción.

    En el primer ciclo, todos; en uno nuevo (recertificación o actualización de
    versión), solo los iniciados desde que se abrió: hay que volver a aprobar.
    """
    return None if inscripcion.ciclo <= 1 else inscripcion.created_at


def evaluaciones_finales_por_aprobar(
    *, inscripcion: Inscripcion
) -> QuerySet[Evaluacion]:
    """Las evaluaciones finales del curso que esta inscripción aún no aprueba."""
    from evaluaciones.models import Evaluacion, Intento

    finales: QuerySet[Evaluacion] = Evaluacion.objects.filter(
        curso_id=inscripcion.curso_id
    )
    aprobadas = Intento.objects.filter(
        usuario_id=inscripcion.usuario_id,
        evaluacion__in=finales,
        estado=Intento.Estado.CALIFICADO,
        aprobado=True,
    )
    desde = intentos_desde_inscripcion(inscripcion)
    if desde is not None:
        aprobadas = aprobadas.filter(iniciado_at__gte=desde)
    return finales.exclude(pk__in=aprobadas.values("evaluacion_id"))


def evaluaciones_finales_pendientes(*, inscripcion: Inscripcion) -> bool:
    return evaluaciones_finales_por_aprobar(inscripcion=inscripcion).exists()


def requisitos_cumplidos(*, inscripcion: Inscripcion) -> bool:
    """La regla de completitud (DESIGN.md §5.1).

    Todas las lecciones obligatorias publicadas completadas, y aprobadas las
    evaluaciones finales del curso.
    """
    obligatorias = set(
        LeccionPage.objects.live()
        .child_of(inscripcion.curso)
        .filter(obligatoria=True)
        .values_list("pk", flat=True)
    )
    hechas = set(inscripcion.lecciones_completadas.values_list("leccion_id", flat=True))
    if not obligatorias <= hechas:
        return False
    return not evaluaciones_finales_pendientes(inscripcion=inscripcion)


def curso_completar_si_corresponde(*, inscripcion: Inscripcion) -> bool:
    """Registra la completitud una sola vez, aun con peticiones simultáneas.

    Bloquea la fila de la inscripción (SELECT … FOR UPDATE) para que dos peticiones
    que completan la última lección a la vez no disparen dos veces el gancho.
    """
    with transaction.atomic():
        bloqueada = Inscripcion.objects.select_for_update().get(pk=inscripcion.pk)
        if bloqueada.completado_at is not None:
            return False
        if not requisitos_cumplidos(inscripcion=bloqueada):
            return False
        bloqueada.completado_at = timezone.now()
        # La versión en que queda capacitada (issue 16): la copian el certificado y
        # el hecho nacional.
        bloqueada.version = version_de_completitud(bloqueada)
        bloqueada.save(update_fields=["completado_at", "version"])
        inscripcion.completado_at = bloqueada.completado_at
        inscripcion.version = bloqueada.version
        curso_completado.send(sender=Inscripcion, inscripcion=bloqueada)
        logger.info("Inscripción %s completada", bloqueada.pk)
    return True
