"""Versiones de un curso (issue 16, DESIGN.md §5.6).

Una versión **mayor** cambia el contenido de manera que invalida la capacitación
anterior (un protocolo nuevo); una **menor** es una corrección. La versión vigente de
un curso es la última publicada: ``CursoPage.version`` la refleja («2.0»).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .paginas import CursoPage


class VersionCurso(models.Model):
    class Tipo(models.TextChoices):
        MAYOR = "mayor", _("Mayor (invalida la capacitación anterior)")
        MENOR = "menor", _("Menor (corrección)")

    class Requiere(models.TextChoices):
        COMPLETO = "completo", _("Rehacer el curso completo")
        ACTUALIZACION = "actualizacion", _("Un curso de actualización")

    curso = models.ForeignKey(
        CursoPage,
        on_delete=models.CASCADE,
        related_name="versiones",
        verbose_name=_("curso"),
    )
    numero = models.PositiveSmallIntegerField(_("versión mayor"))
    menor = models.PositiveSmallIntegerField(_("versión menor"), default=0)
    tipo = models.CharField(
        _("tipo"), max_length=10, choices=Tipo.choices, default=Tipo.MAYOR
    )
    resumen = models.TextField(_("resumen de cambios"), blank=True)
    requiere = models.CharField(
        _("qué exige la actualización"),
        max_length=20,
        choices=Requiere.choices,
        default=Requiere.COMPLETO,
    )
    curso_actualizacion = models.ForeignKey(
        CursoPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("curso de actualización"),
    )
    publicada_at = models.DateTimeField(_("publicada el"), default=timezone.now)
    publicada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicada por"),
    )

    class Meta:
        verbose_name = _("versión de curso")
        verbose_name_plural = _("versiones de cursos")
        ordering = ["curso", "-numero", "-menor"]
        constraints = [
            models.UniqueConstraint(
                fields=["curso", "numero", "menor"],
                name="cursos_versioncurso_unica",
            )
        ]

    def __str__(self) -> str:
        return f"{self.curso} · v{self.etiqueta}"

    @property
    def etiqueta(self) -> str:
        return f"{self.numero}.{self.menor}"

    @property
    def destino_actualizacion(self) -> CursoPage:
        """El curso que se asigna como actualización: el corto o el completo.

        Ojo: lee ``curso_actualizacion`` o ``curso`` (una consulta si no vienen)."""
        if self.requiere == self.Requiere.ACTUALIZACION and self.curso_actualizacion:
            return self.curso_actualizacion
        return self.curso
