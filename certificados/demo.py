"""Certificados de demostración: la persona «funcionario» de cada tenant recibe uno."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from cursos.models import CursoPage
from cursos.services import inscripcion_crear

from .models import Certificado
from .services import certificado_emitir

CURSO_DEMO = "que-es-la-trata"


def certificados_demo_asegurar(*, username: str = "funcionario") -> Certificado | None:
    """Deja completado el curso base y emitido su certificado. Idempotente.

    La completitud se marca directo (sin recorrer lecciones): es solo para la demo.
    """
    usuario = get_user_model().objects.filter(username=username).first()
    curso = CursoPage.objects.live().filter(slug=CURSO_DEMO).first()
    if usuario is None or curso is None:
        return None
    inscripcion, _creada = inscripcion_crear(usuario=usuario, curso=curso)
    if inscripcion.completado_at is None:
        inscripcion.completado_at = timezone.now()
        inscripcion.save(update_fields=["completado_at"])
    certificado, _creado = certificado_emitir(inscripcion_id=inscripcion.pk)
    return certificado
