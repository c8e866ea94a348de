from __future__ import annotations

import os
import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .enlaces import url_tenant

color_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Use un color hexadecimal como #1d4e89.")
)


def logo_ruta(tenant: Tenant, nombre: str) -> str:
    """En la media del propio tenant, aunque se suba desde el admin del sitio público:
    ``MEDIA_ROOT/<schema>/logos/<uuid4>.<ext>``, servido solo en su host."""
    extension = os.path.splitext(nombre)[1].lower()
    return f"{tenant.schema_name}/logos/{uuid.uuid4().hex}{extension}"


class Tenant(TenantMixin):
    """Un grupo destinatario (policías, fronteras…) con su propio schema y sitio."""

    class Grupo(models.TextChoices):
        POLICIAS = "policias", _("Policías")
        FRONTERAS = "fronteras", _("Complejos fronterizos")
        TURISMO = "turismo", _("Turismo")
        CONSULADOS = "consulados", _("Consulados")
        MEJORNINEZ = "mejorninez", _("Mejor Niñez")
        OTRO = "otro", _("Otro")
        # El sitio público de la MITP y la plantilla no son grupos destinatarios.
        MITP = "mitp", _("MITP (sitio público)")

    nombre = models.CharField(_("nombre"), max_length=120)
    grupo = models.CharField(
        _("grupo destinatario"), max_length=20, choices=Grupo.choices
    )
    pais = models.CharField(_("país"), max_length=60, default="Chile")
    color_primario = models.CharField(
        _("color primario"),
        max_length=7,
        default="#1d4e89",
        validators=[color_validator],
    )
    # FileSystemStorage sobre MEDIA_ROOT y no el de django-tenants, que antepone el
    # schema activo: el del admin (public) al guardar y el del sitio al enlazar.
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_ruta,
        storage=FileSystemStorage(),
        max_length=200,
        blank=True,
    )
    es_plantilla = models.BooleanField(_("es plantilla"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Si la creación falla, el schema se borra (ver tenants.services.tenant_crear).
    auto_drop_schema = True

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre

    @property
    def url(self) -> str:
        return url_tenant(self)


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("dominio")
        verbose_name_plural = _("dominios")

    def __str__(self) -> str:
        return self.domain


class InstitucionCatalogo(models.Model):
    """Catálogo nacional de instituciones (schema public), DESIGN.md §5.4.

    Cada ``cursos.Institucion`` de un tenant apunta a una entrada: así una institución
    cuenta una vez en el país aunque tenga personas en varios tenants, y las acciones
    del plan declaran sus destinatarios por sector, por tipo o por institución.
    Se carga desde tenants/catalogo/instituciones.yaml (tenants/catalogo.py).
    """

    class Sector(models.TextChoices):
        PUBLICO = "publico", _("Público")
        PRIVADO = "privado", _("Privado")
        SOCIEDAD_CIVIL = "sociedad_civil", _("Sociedad civil")
        EDUCACION = "educacion", _("Educación")
        MEDIOS = "medios", _("Medios de comunicación")

    class Tipo(models.TextChoices):
        POLICIAL = "policial", _("Policial")
        CONTROL_FRONTERIZO = "control_fronterizo", _("Control fronterizo")
        ATENCION_DIRECTA = "atencion_directa", _("Atención directa a víctimas")
        CONSULAR = "consular", _("Consular")
        NINEZ = "ninez", _("Niñez y adolescencia")
        TURISMO = "turismo", _("Turismo")
        MESA_REGIONAL = "mesa_regional", _("Integrante de Mesa Regional")
        FISCALIZACION = "fiscalizacion", _("Fiscalización")
        INVESTIGACION_PENAL = (
            "investigacion_penal",
            _("Investigación penal y litigación"),
        )

    nombre = models.CharField(_("nombre"), max_length=200, unique=True)
    codigo = models.SlugField(_("código"), max_length=60, unique=True)
    sigla = models.CharField(_("sigla"), max_length=30, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    tipos = ArrayField(
        models.CharField(max_length=30, choices=Tipo.choices),
        verbose_name=_("tipos"),
        default=list,
        blank=True,
    )
    # Solo para integrantes de una Mesa Regional: la región de la mesa.
    region = models.CharField(
        _("región de la Mesa Regional"), max_length=20, blank=True
    )

    class Meta:
        verbose_name = _("institución del catálogo nacional")
        verbose_name_plural = _("catálogo nacional de instituciones")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre
