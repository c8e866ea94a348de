"""Derechos de las personas sobre sus datos (Ley 21.719): rectificación y retención."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# Lo que queda en lugar del nombre en el certificado y en el registro público.
NOMBRE_ANONIMIZADO = "Persona anonimizada"


class Campo(models.TextChoices):
    """Los datos que la persona puede pedir corregir (los aplica cursos.services)."""

    NOMBRES = "first_name", _("Nombres")
    APELLIDOS = "last_name", _("Apellidos")
    RUT = "rut", _("RUT")
    CORREO = "email", _("Correo electrónico")
    SEXO = "sexo", _("Sexo")
    CARGO = "cargo", _("Cargo")
    REGION = "region", _("Región")


class SolicitudRectificacion(models.Model):
    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", _("Pendiente")
        ACEPTADA = "aceptada", _("Aceptada")
        RECHAZADA = "rechazada", _("Rechazada")

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="solicitudes_rectificacion",
        verbose_name=_("persona"),
    )
    campo = models.CharField(_("dato"), max_length=20, choices=Campo.choices)
    # Puede ser un RUT: nunca va a una URL ni a la bitácora; se borra al resolver.
    valor_propuesto = models.CharField(_("valor propuesto"), max_length=200)
    motivo = models.TextField(_("motivo"), max_length=1000)
    estado = models.CharField(
        _("estado"), max_length=20, choices=Estado.choices, default=Estado.PENDIENTE
    )
    motivo_rechazo = models.TextField(_("motivo del rechazo"), blank=True)
    resuelta_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resuelta por"),
    )
    resuelta_at = models.DateTimeField(_("resuelta el"), null=True, blank=True)
    created_at = models.DateTimeField(_("pedida el"), auto_now_add=True)

    class Meta:
        verbose_name = _("solicitud de rectificación")
        verbose_name_plural = _("solicitudes de rectificación")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["estado", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_campo_display()} ({self.get_estado_display()})"


@register_setting(icon="lock")
class PoliticaRetencion(BaseGenericSetting):
    """Cuánto se conservan las cuentas inactivas (Ajustes → Retención de datos)."""

    anios_inactividad = models.PositiveSmallIntegerField(
        _("años de inactividad"),
        default=0,
        help_text=_(
            "Se anonimizan las cuentas sin ingreso ni actividad durante este número "
            "de años. 0: usar el valor del servidor (CAPACITA_RETENCION_ANIOS); si "
            "ambos son 0, no se anonimiza nada por inactividad."
        ),
    )

    panels = [FieldPanel("anios_inactividad")]

    class Meta:
        verbose_name = _("retención de datos")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
