"""Inscripciones a cursos y las lecciones que cada una completó."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .paginas import CursoPage, LeccionPage


class Inscripcion(models.Model):
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inscripciones",
        verbose_name=_("usuario"),
    )
    curso = models.ForeignKey(
        CursoPage,
        on_delete=models.CASCADE,
        related_name="inscripciones",
        verbose_name=_("curso"),
    )
    ciclo = models.PositiveSmallIntegerField(_("ciclo"), default=1)
    inscrito_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscrito por"),
    )
    ultima_leccion = models.ForeignKey(
        LeccionPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("última lección vista"),
    )
    completado_at = models.DateTimeField(_("completado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrito el"), auto_now_add=True)
    # Fecha límite que fija la encargada al asignar (por unidad o por actualización).
    plazo = models.DateField(_("plazo"), null=True, blank=True)
    # Versiones (issue 16): en qué versión se capacitó al completar (la del curso, o
    # la que trae un curso de actualización) y, si se asignó como actualización, a
    # qué versión pone al día.
    version = models.ForeignKey(
        "cursos.VersionCurso",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versión en que se capacitó"),
    )
    actualiza_version = models.ForeignKey(
        "cursos.VersionCurso",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actualizaciones",
        verbose_name=_("actualiza a la versión"),
    )

    class Meta:
        verbose_name = _("inscripción")
        verbose_name_plural = _("inscripciones")
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "curso", "ciclo"],
                name="cursos_inscripcion_unica_por_ciclo",
            )
        ]
        indexes = [models.Index(fields=["curso", "completado_at"])]

    def __str__(self) -> str:
        return f"{self.usuario} · {self.curso} (ciclo {self.ciclo})"

    @property
    def vence_at(self):
        """Vencimiento (``None``: sin completar o no vence, ``vigencia_meses = 0``).

        Ojo: lee self.curso (una consulta si no está cargado).
        """
        from verificacion.estados import vencimiento_calcular

        if self.completado_at is None:
            return None
        return vencimiento_calcular(
            desde=self.completado_at, vigencia_meses=self.curso.vigencia_meses
        )

    def estado(self, lecciones_completadas: int) -> str:
        """El estado efectivo (cursos.selectors.inscripcion_estado). Ojo: lee el curso
        y el certificado (hasta dos consultas); para listas, ``selectors.avances``."""
        from ..selectors import certificados_de_inscripciones, inscripcion_estado

        certificados = (
            certificados_de_inscripciones([self.pk]) if self.completado_at else {}
        )
        estado, vence = certificados.get(self.pk, (None, None))
        return inscripcion_estado(
            completado_at=self.completado_at,
            vigencia_meses=self.curso.vigencia_meses,
            con_avance=bool(lecciones_completadas),
            certificado_estado_guardado=estado,
            certificado_vence=vence,
        )


class LeccionCompletada(models.Model):
    inscripcion = models.ForeignKey(
        Inscripcion,
        on_delete=models.CASCADE,
        related_name="lecciones_completadas",
        verbose_name=_("inscripción"),
    )
    leccion = models.ForeignKey(
        LeccionPage,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lección"),
    )
    completada_at = models.DateTimeField(_("completada el"), default=timezone.now)

    class Meta:
        verbose_name = _("lección completada")
        verbose_name_plural = _("lecciones completadas")
        constraints = [
            models.UniqueConstraint(
                fields=["inscripcion", "leccion"], name="cursos_leccioncompletada_unica"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inscripcion} · {self.leccion_id}"
