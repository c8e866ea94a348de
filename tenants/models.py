from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

color_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Use un color hexadecimal como #1d4e89.")
)


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
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
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
        domain = self.get_primary_domain()
        if domain is None:
            return ""
        port = f":{settings.CAPACITA_PUERTO}" if settings.CAPACITA_PUERTO else ""
        return f"http://{domain.domain}{port}/"


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
