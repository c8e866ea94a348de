"""La organización de un tenant: Institucion → Unidad, Perfil (con RUT) y Dotacion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.rut import rut_validator
from tenants.roles import nombre_visible

from ..choices import Region, Sexo


class Institucion(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150, unique=True)
    sigla = models.CharField(_("sigla"), max_length=30, blank=True)
    # La entrada del catálogo nacional (schema public): por ella la institución cuenta
    # una vez en el país y las acciones del plan la reconocen como destinataria.
    catalogo = models.ForeignKey(
        "tenants.InstitucionCatalogo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución del catálogo nacional"),
    )

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.sigla or self.nombre


class Unidad(models.Model):
    institucion = models.ForeignKey(
        Institucion,
        on_delete=models.PROTECT,
        related_name="unidades",
        verbose_name=_("institución"),
    )
    nombre = models.CharField(_("nombre"), max_length=150)
    region = models.CharField(
        _("región"), max_length=20, choices=Region.choices, blank=True
    )

    class Meta:
        verbose_name = _("unidad")
        verbose_name_plural = _("unidades")
        ordering = ["institucion__nombre", "nombre"]
        constraints = [
            models.UniqueConstraint(
                fields=["institucion", "nombre"], name="cursos_unidad_nombre_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institucion} · {self.nombre}"


class Perfil(models.Model):
    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="perfil",
        verbose_name=_("usuario"),
    )
    # Normalizado «12345678-5». Nunca en URLs ni logs (Ley 21.719).
    rut = models.CharField(
        _("RUT"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[rut_validator],
    )
    sexo = models.CharField(_("sexo"), max_length=20, choices=Sexo.choices, blank=True)
    institucion = models.ForeignKey(
        Institucion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("institución"),
    )
    unidad = models.ForeignKey(
        Unidad,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="perfiles",
        verbose_name=_("unidad"),
    )
    cargo = models.CharField(_("cargo"), max_length=150, blank=True)
    region = models.CharField(
        _("región"), max_length=20, choices=Region.choices, blank=True
    )

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")

    def __str__(self) -> str:
        return nombre_visible(self.usuario)


class Dotacion(models.Model):
    """Personas que trabajan en una unidad un año: el denominador de «% capacitado»."""

    unidad = models.ForeignKey(
        "cursos.Unidad",
        on_delete=models.CASCADE,
        related_name="dotaciones",
        verbose_name=_("unidad"),
    )
    anio = models.PositiveSmallIntegerField(_("año"))
    total = models.PositiveIntegerField(_("dotación total"))
    femenino = models.PositiveIntegerField(_("mujeres"), null=True, blank=True)
    masculino = models.PositiveIntegerField(_("hombres"), null=True, blank=True)

    class Meta:
        verbose_name = _("dotación")
        verbose_name_plural = _("dotaciones")
        ordering = ["unidad", "-anio"]
        constraints = [
            models.UniqueConstraint(
                fields=["unidad", "anio"], name="cursos_dotacion_unidad_anio"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unidad} · {self.anio}: {self.total}"
