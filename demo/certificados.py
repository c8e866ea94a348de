"""Certificados de demostración: la persona «funcionario» de cada tenant recibe uno."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from certificados.models import Certificado
from certificados.services import certificado_emitir
from cursos.models import CursoPage

CURSO_DEMO = "que-es-la-trata"


def certificados_demo_asegurar(*, username: str = "funcionario") -> Certificado | None:
    """Deja completado el curso base y emitido su certificado. Idempotente.

    La completitud se gana por los servicios: lecciones completadas y evaluación final
    aprobada con un intento calificado (demo.evaluaciones.curso_demo_aprobar).
    """
    from demo.evaluaciones import curso_demo_aprobar

    usuario = get_user_model().objects.filter(username=username).first()
    curso = CursoPage.objects.live().filter(slug=CURSO_DEMO).first()
    if usuario is None or curso is None:
        return None
    inscripcion = curso_demo_aprobar(usuario=usuario, curso=curso)
    if inscripcion.completado_at is None:
        return None
    certificado, _creado = certificado_emitir(inscripcion_id=inscripcion.pk)
    return certificado
