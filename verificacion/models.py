from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class EstadoCertificado(models.TextChoices):
    VIGENTE = "vigente", _("Válido")
    VENCIDO = "vencido", _("Vencido")
    REVOCADO = "revocado", _("Revocado")
    REEMPLAZADO = "reemplazado", _("Reemplazado")
    VERSION_ANTERIOR = "version_anterior", _("Versión anterior")


class RegistroCertificado(models.Model):
    """Registro público (schema public) de cada certificado emitido en un tenant.

    Es una proyección del certificado del tenant: se escribe en la misma transacción que
    él (DESIGN.md §3) y es lo único que lee la verificación pública. No guarda RUT ni
    correo: solo el nombre que figura en el certificado.
    """

    codigo = models.CharField(_("código"), max_length=16, unique=True)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("tenant"),
    )
    certificado_id = models.PositiveBigIntegerField(_("id en el tenant"))
    institucion = models.CharField(_("institución"), max_length=200)
    curso_titulo = models.CharField(_("curso"), max_length=255)
    titular_nombre = models.CharField(_("titular"), max_length=300)
    emitido_el = models.DateField(_("emitido el"))
    vence_el = models.DateField(_("vence el"), null=True, blank=True)
    estado = models.CharField(
        _("estado"),
        max_length=20,
        choices=EstadoCertificado.choices,
        default=EstadoCertificado.VIGENTE,
    )
    motivo_revocacion = models.TextField(_("motivo de revocación"), blank=True)
    revocado_el = models.DateField(_("revocado el"), null=True, blank=True)
    reemplazado_por = models.CharField(_("reemplazado por"), max_length=16, blank=True)
    # Versión del curso en que se capacitó y su fecha (las copia certificados).
    version = models.CharField(_("versión"), max_length=20, blank=True)
    version_fecha = models.DateField(_("fecha de la versión"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registro de certificado")
        verbose_name_plural = _("registro de certificados")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "certificado_id"],
                name="verificacion_registrocertificado_unico_por_tenant",
            )
        ]

    def __str__(self) -> str:
        return self.codigo

    def estado_efectivo(self, hoy: dt.date | None = None) -> str:
        """El estado que se muestra (verificacion/estados.py: la regla única)."""
        from .estados import certificado_estado

        return certificado_estado(estado=self.estado, vence=self.vence_el, hoy=hoy)

    @property
    def version_mayor(self) -> str:
        """«2» de «2.0»: lo que dice la verificación («versión 2»)."""
        return self.version.split(".")[0]
