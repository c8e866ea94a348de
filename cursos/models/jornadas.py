"""Jornadas (capacitaciones sincrónicas) con su asistencia.

Las reglas viven en cursos/services/jornadas.py.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Modalidad, Region


def _token_nuevo() -> str:
    # 192 bits: el QR de la sala no se puede adivinar ni recorrer.
    return secrets.token_urlsafe(24)


class Jornada(models.Model):
    """Capacitación presencial o en línea sincrónica, con hora de inicio y término."""

    class Tipo(models.TextChoices):
        PRESENCIAL = Modalidad.PRESENCIAL.value, _("Presencial")
        ONLINE = Modalidad.ONLINE.value, _("En línea sincrónica")

    tema = models.CharField(_("tema"), max_length=200, blank=True)
    curso = models.ForeignKey(
        "cursos.CursoPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jornadas",
        verbose_name=_("curso vinculado"),
    )
    inicio = models.DateTimeField(_("inicio"))
    fin = models.DateTimeField(_("término"))
    lugar = models.CharField(_("lugar"), max_length=200, blank=True)
    region = models.CharField(
        _("región"), max_length=20, choices=Region.choices, blank=True
    )
    modalidad = models.CharField(
        _("modalidad"), max_length=20, choices=Tipo.choices, default=Tipo.PRESENCIAL
    )
    horas = models.DecimalField(_("horas"), max_digits=5, decimal_places=1, default=2)
    relator = models.CharField(_("relator/a"), max_length=150, blank=True)
    institucion = models.ForeignKey(
        "cursos.Institucion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución destinataria"),
    )
    acciones_plan = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("acciones del plan"),
        default=list,
        blank=True,
    )
    token = models.CharField(
        max_length=64, unique=True, default=_token_nuevo, editable=False
    )
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creada por"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # La ventana de registro abre antes del inicio para quien llega temprano.
    APERTURA_ANTICIPADA = timedelta(minutes=30)

    class Meta:
        verbose_name = _("jornada")
        verbose_name_plural = _("jornadas")
        ordering = ["-inicio"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__gt=models.F("inicio")),
                name="cursos_jornada_fin_despues_de_inicio",
            )
        ]

    def __str__(self) -> str:
        return f"{self.titulo} ({self.inicio:%Y-%m-%d})"

    @property
    def titulo(self) -> str:
        """El tema, o el título del curso vinculado. Lee self.curso (una consulta)."""
        if self.tema:
            return self.tema
        return self.curso.title if self.curso_id else ""

    def ventana(self):
        return self.inicio - self.APERTURA_ANTICIPADA, self.fin

    def abierta(self, ahora) -> bool:
        desde, hasta = self.ventana()
        return desde <= ahora <= hasta


class Asistencia(models.Model):
    """Una persona presente en una jornada. Existir es estar presente (ver README)."""

    class Origen(models.TextChoices):
        QR = "qr", _("Código QR")
        PLANILLA = "planilla", _("Planilla")

    jornada = models.ForeignKey(
        Jornada,
        on_delete=models.CASCADE,
        related_name="asistencias",
        verbose_name=_("jornada"),
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="asistencias",
        verbose_name=_("usuario"),
    )
    origen = models.CharField(_("origen"), max_length=20, choices=Origen.choices)
    registrada_at = models.DateTimeField(_("registrada el"), auto_now_add=True)
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        constraints = [
            models.UniqueConstraint(
                fields=["jornada", "usuario"], name="cursos_asistencia_unica"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jornada_id} · {self.usuario_id}"
