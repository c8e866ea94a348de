"""Avisos a cada persona: la lista del encabezado y el resumen diario por correo."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Categoria(models.TextChoices):
    INSCRIPCION = "inscripcion", _("Curso asignado")
    PLAZO = "plazo", _("Plazo por vencer")
    VENCIMIENTO = "vencimiento", _("Certificado por vencer")
    ACTUALIZACION = "actualizacion", _("Actualización requerida")


class Aviso(models.Model):
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="avisos",
        verbose_name=_("usuario"),
    )
    categoria = models.CharField(
        _("categoría"), max_length=20, choices=Categoria.choices
    )
    # Una sola vez por hecho que avisa, p. ej. «plazo:<inscripción>:<fecha>».
    clave = models.CharField(_("clave"), max_length=120)
    titulo = models.CharField(_("título"), max_length=255)
    texto = models.TextField(_("texto"), blank=True)
    enlace = models.CharField(_("enlace"), max_length=255, blank=True)
    creado_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    leido_at = models.DateTimeField(_("leído el"), null=True, blank=True)
    # Cuándo salió en el resumen diario por correo (nulo: aún no, o no lo quiere).
    enviado_at = models.DateTimeField(_("enviado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "clave"], name="avisos_aviso_clave_unica"
            )
        ]
        indexes = [models.Index(fields=["usuario", "leido_at"])]

    def __str__(self) -> str:
        return f"{self.get_categoria_display()}: {self.titulo}"


class PreferenciaAvisos(models.Model):
    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferencia_avisos",
        verbose_name=_("usuario"),
    )
    # Categorías que la persona no quiere recibir por correo (las obligatorias no se
    # pueden excluir: avisos.services decide cuáles son).
    excluidas = ArrayField(
        models.CharField(max_length=20, choices=Categoria.choices),
        default=list,
        blank=True,
        verbose_name=_("categorías excluidas"),
    )
    # Identifica a la persona en el enlace firmado de baja del correo, sin su id ni su
    # RUT: es aleatorio y no sale de este schema.
    token = models.UUIDField(_("token de baja"), default=uuid.uuid4, unique=True)
    # Día (America/Santiago) del último resumen enviado: a lo más uno por día.
    ultimo_resumen_el = models.DateField(
        _("último resumen el"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")

    def __str__(self) -> str:
        return str(self.usuario)
