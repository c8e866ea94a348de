"""Tokens de la API: uno por sistema integrado, limitado a una institución.

Se importa desde cursos/models/__init__.py para que Django lo registre en la app
``cursos`` (tenant): un token de un tenant no existe en otro schema.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIJO_TOKEN = "cap_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_secreto_nuevo() -> str:
    """32 bytes al azar (256 bits) en base64url, con un prefijo reconocible."""
    return PREFIJO_TOKEN + secrets.token_urlsafe(32)


class TokenAPI(models.Model):
    """Credencial de un sistema externo. Solo se guarda el SHA-256 del secreto."""

    class Alcance(models.TextChoices):
        LECTURA = "lectura", _("Solo lectura")
        ESCRITURA = "escritura", _("Lectura y escritura")

    nombre = models.CharField(_("nombre"), max_length=100)
    institucion = models.ForeignKey(
        "cursos.Institucion",
        on_delete=models.CASCADE,
        related_name="tokens_api",
        verbose_name=_("institución"),
    )
    alcance = models.CharField(
        _("alcance"), max_length=20, choices=Alcance.choices, default=Alcance.LECTURA
    )
    # Los primeros caracteres del secreto: para reconocerlo en la lista, sin revelarlo.
    prefijo = models.CharField(_("prefijo"), max_length=16, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    ultimo_uso_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revocado_at = models.DateTimeField(_("revocado el"), null=True, blank=True)
    revocado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revocado por"),
    )

    class Meta:
        verbose_name = _("token de la API")
        verbose_name_plural = _("tokens de la API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.prefijo}…)"

    @property
    def activo(self) -> bool:
        return self.revocado_at is None

    @property
    def puede_escribir(self) -> bool:
        return self.alcance == self.Alcance.ESCRITURA
