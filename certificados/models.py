from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from content.models import Trabajo
from tenants.archivos import AlmacenPrivado
from verificacion.codigos import codigo_formatear
from verificacion.estados import certificado_estado
from verificacion.models import EstadoCertificado


class Certificado(models.Model):
    """Certificado de un curso completado: uno por (usuario, curso, ciclo).

    Guarda una copia de lo impreso (nombre, curso, horas) para que el PDF y el registro
    público no cambien si después se edita el curso o el perfil. Si se borra la persona
    o el curso, el certificado se va con su inscripción, pero su fila del registro
    público queda: lo emitido sigue verificándose.
    """

    Estado = EstadoCertificado

    inscripcion = models.OneToOneField(
        "cursos.Inscripcion",
        on_delete=models.CASCADE,
        related_name="certificado",
        verbose_name=_("inscripción"),
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificados",
        verbose_name=_("usuario"),
    )
    curso = models.ForeignKey(
        "cursos.CursoPage",
        on_delete=models.CASCADE,
        related_name="certificados",
        verbose_name=_("curso"),
    )
    ciclo = models.PositiveSmallIntegerField(_("ciclo"))
    codigo = models.CharField(_("código"), max_length=16, unique=True)
    titular_nombre = models.CharField(_("titular"), max_length=300)
    curso_titulo = models.CharField(_("curso"), max_length=255)
    horas = models.DecimalField(_("horas"), max_digits=5, decimal_places=1)
    emitido_at = models.DateTimeField(_("emitido el"))
    vence_at = models.DateTimeField(_("vence el"), null=True, blank=True)
    estado = models.CharField(
        _("estado"),
        max_length=20,
        choices=EstadoCertificado.choices,
        default=EstadoCertificado.VIGENTE,
    )
    motivo_revocacion = models.TextField(_("motivo de revocación"), blank=True)
    revocado_at = models.DateTimeField(_("revocado el"), null=True, blank=True)
    revocado_por = models.CharField(_("revocado por"), max_length=200, blank=True)
    reemplazado_por = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reemplazado por"),
    )
    # Versión del curso en que se capacitó (issue 16) y su fecha de publicación. Si
    # una versión mayor posterior la deja atrás, el estado guardado pasa a «versión
    # anterior» (services.certificados_version_superar).
    version = models.CharField(_("versión"), max_length=20, blank=True)
    version_fecha = models.DateField(_("fecha de la versión"), null=True, blank=True)
    correo_enviado_at = models.DateTimeField(null=True, blank=True, editable=False)
    aviso_vencimiento_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificado")
        verbose_name_plural = _("certificados")
        ordering = ["-emitido_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "curso", "ciclo"],
                name="certificados_certificado_unico_por_ciclo",
            )
        ]
        indexes = [models.Index(fields=["estado", "vence_at"])]

    def __str__(self) -> str:
        return f"{self.codigo_formateado} · {self.curso_titulo}"

    @property
    def codigo_formateado(self) -> str:
        return codigo_formatear(self.codigo)

    @property
    def estado_efectivo(self) -> str:
        """Válido, vencido, revocado o reemplazado, hoy (verificacion/estados.py).

        Un válido cuya fecha ya pasó está vencido, aunque la tarea diaria no lo haya
        marcado todavía.
        """
        return certificado_estado(estado=self.estado, vence=self.vence_at)

    @property
    def estado_efectivo_etiqueta(self) -> str:
        return EstadoCertificado(self.estado_efectivo).label


def lote_ruta(lote: LoteZip, nombre: str) -> str:
    """En disco, un nombre que no se adivina; el legible lo pone la descarga."""
    return f"certificados/lotes/{uuid.uuid4().hex}.zip"


class LoteZip(Trabajo):
    """ZIP con los PDF de una unidad, armado por una tarea con avance.

    Lleva nombres, cursos y códigos: es un archivo privado (ARCHIVOS_PRIVADOS_DIR,
    fuera de MEDIA_ROOT) que solo entrega ``certificados:lote_descargar``.
    """

    ETIQUETAS: ClassVar[dict[str, str]] = {Trabajo.Estado.EN_CURSO: _("Procesando")}

    unidad = models.ForeignKey(
        "cursos.Unidad",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unidad"),
    )
    solicitado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("solicitado por"),
    )
    archivo = models.FileField(
        _("archivo"), upload_to=lote_ruta, storage=AlmacenPrivado(), blank=True
    )

    class Meta:
        verbose_name = _("lote ZIP de certificados")
        verbose_name_plural = _("lotes ZIP de certificados")

    def __str__(self) -> str:
        return f"{self.unidad} · {self.get_estado_display()}"

    @property
    def nombre_descarga(self) -> str:
        """Nota: lee ``self.unidad`` (una consulta si no vino con select_related)."""
        return f"certificados-{slugify(self.unidad.nombre)}-{self.pk}.zip"


class CursoActualizacion(models.Model):
    """Curso más corto con el que se recertifica un curso (opcional)."""

    curso = models.OneToOneField(
        "cursos.CursoPage",
        on_delete=models.CASCADE,
        related_name="actualizacion",
        verbose_name=_("curso"),
    )
    curso_actualizacion = models.ForeignKey(
        "cursos.CursoPage",
        on_delete=models.CASCADE,
        related_name="actualiza",
        verbose_name=_("curso de actualización"),
    )

    panels = [FieldPanel("curso"), FieldPanel("curso_actualizacion")]

    class Meta:
        verbose_name = _("curso de actualización")
        verbose_name_plural = _("cursos de actualización")

    def __str__(self) -> str:
        return f"{self.curso} → {self.curso_actualizacion}"


@register_setting(icon="doc-full")
class ConfiguracionCertificados(BaseGenericSetting):
    """Firma del certificado, por tenant (Ajustes → Certificados en el admin)."""

    firmante_nombre = models.CharField(
        _("nombre de quien firma"), max_length=150, blank=True
    )
    firmante_cargo = models.CharField(
        _("cargo de quien firma"), max_length=150, blank=True
    )
    institucion = models.CharField(
        _("institución que certifica"),
        max_length=200,
        blank=True,
        help_text=_("Vacío: el nombre del sitio institucional."),
    )

    panels = [
        FieldPanel("institucion"),
        FieldPanel("firmante_nombre"),
        FieldPanel("firmante_cargo"),
    ]

    class Meta:
        verbose_name = _("certificados")
