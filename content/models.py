from __future__ import annotations

import uuid as uuid_lib
from typing import ClassVar

from django.conf import settings
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager
from wagtail.url_routing import RouteResult

from .cache import RestriccionesEnCacheMixin

# Pista por proceso: (schema, url_path) → clase específica de la última página vista
# ahí. Solo elige la tabla de la consulta; la fila siempre se lee de la base, así que
# una pista vieja (página movida, borrada o de otro tipo) solo cuesta la consulta
# genérica de siempre.
_TIPO_POR_URL: dict[tuple[str, str], type] = {}
_TIPO_POR_URL_MAX = 5000


def _pagina_por_url_path(url_path: str):
    """La página publicada o no en ``url_path``, ya específica: una consulta si la
    pista acierta, dos (la de Wagtail) si no."""
    from django.db import connection

    clave = (connection.schema_name, url_path)
    modelo = _TIPO_POR_URL.get(clave)
    if modelo is not None:
        pagina = modelo.objects.filter(url_path=url_path).first()
        if pagina is not None:
            return pagina
    pagina = Page.objects.filter(url_path=url_path).specific().first()
    if pagina is not None:
        if len(_TIPO_POR_URL) >= _TIPO_POR_URL_MAX:
            _TIPO_POR_URL.clear()
        _TIPO_POR_URL[clave] = type(pagina)
    return pagina


class HomePage(RestriccionesEnCacheMixin, Page):
    """Portada del sitio de un tenant: su nombre, sus colores y sus rutas."""

    introduccion = RichTextField(_("introducción"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduccion")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def route(self, request, path_components):
        """Resuelve la página por su url_path en una consulta, no una por nivel.

        Wagtail baja el árbol nivel a nivel (portada → ruta → curso → lección), con
        tres consultas por nivel porque django-tenants vacía la caché de
        ContentType en cada petición. Las páginas de Capacita no redefinen route(),
        así que buscar por url_path es equivalente.
        """
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            pagina = _pagina_por_url_path(url_path)
            if pagina is None or not pagina.live:
                raise Http404
            return RouteResult(pagina)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Las rutas viven en la app cursos; se leen como hijas genéricas para no
        # acoplar content a cursos.
        context["rutas"] = self.get_children().live().public().specific()
        return context

    class Meta:
        verbose_name = _("portada")
        verbose_name_plural = _("portadas")


class RegistroAuditoriaManager(ModelLogEntryManager):
    """Wagtail escribe aquí (``log_action``) lo que cada app registra para su modelo;
    ``for_instance`` (heredado) es lo que lee la historia de un objeto en el admin,
    p. ej. al editar una cuenta."""

    def viewable_by_user(self, user):
        # Lo ve quien administra el tenant (la encargada), no cualquiera con un permiso
        # sobre el tipo de objeto como en el registro genérico de Wagtail.
        from tenants.roles import Rol, tiene_rol

        if tiene_rol(user, Rol.ENCARGADO):
            return self.all()
        return self.none()


class RegistroAuditoria(BaseLogEntry):
    """Bitácora del tenant: exportaciones, revocaciones, roles, importaciones y API.

    Es un registro de Wagtail (``wagtail.log_actions.log``): sus acciones se ven en
    Informes → Historial del sitio, con filtros. Los modelos que escriben aquí se
    registran en el ``wagtail_hooks.py`` de su app; las acciones, en el de content.
    """

    object_id = models.CharField(max_length=255, blank=True, db_index=True)

    objects = RegistroAuditoriaManager()

    class Meta(BaseLogEntry.Meta):
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("registros de auditoría")
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.action} ({self.timestamp:%Y-%m-%d %H:%M})"


class PaginaEstandar(RestriccionesEnCacheMixin, Page):
    """Página de contenido libre (presentación, preguntas frecuentes, contacto)."""

    cuerpo = RichTextField(_("cuerpo"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("cuerpo")]

    class Meta:
        verbose_name = _("página estándar")
        verbose_name_plural = _("páginas estándar")


class PaqueteH5P(models.Model):
    """Paquete .h5p subido por un editor, validado y desempacado en la media del tenant.

    El archivo original queda en ``archivo``; su contenido desempacado vive en
    ``carpeta`` (ruta relativa a la media del tenant, con un uuid impredecible). Nunca
    se sirve por /media/: lo sirve content/h5p/servicio.py, en un origen opaco, al
    iframe aislado del reproductor. Se crea con ``content.h5p.paquete_crear`` o desde
    el admin.
    """

    titulo = models.CharField(_("título"), max_length=200)
    archivo = models.FileField(
        _("archivo .h5p"),
        upload_to="h5p/archivos/",
        max_length=255,
        validators=[FileExtensionValidator(["h5p"])],
    )
    carpeta = models.CharField(
        _("carpeta desempacada"), max_length=255, editable=False, unique=True
    )
    biblioteca_principal = models.CharField(
        _("biblioteca principal"), max_length=255, editable=False
    )
    h5p_json = models.JSONField(_("h5p.json"), default=dict, editable=False)
    created_at = models.DateTimeField(_("subido el"), auto_now_add=True)

    class Meta:
        verbose_name = _("paquete H5P")
        verbose_name_plural = _("paquetes H5P")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.titulo


class ResultadoH5P(models.Model):
    """Una declaración xAPI final (answered/completed/passed/failed) de un usuario."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resultados_h5p",
        verbose_name=_("usuario"),
    )
    paquete = models.ForeignKey(
        PaqueteH5P,
        on_delete=models.CASCADE,
        related_name="resultados",
        verbose_name=_("paquete H5P"),
    )
    leccion = models.ForeignKey(
        "cursos.LeccionPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lección"),
    )
    verbo = models.CharField(_("verbo xAPI"), max_length=200)
    puntaje_escalado = models.DecimalField(
        _("puntaje escalado"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    exito = models.BooleanField(_("éxito"), null=True, blank=True)
    declaracion = models.JSONField(_("declaración xAPI"), default=dict)
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("resultado H5P")
        verbose_name_plural = _("resultados H5P")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["usuario", "paquete", "leccion"],
                name="content_resultadoh5p_mejor",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(puntaje_escalado__isnull=True)
                | models.Q(puntaje_escalado__gte=0, puntaje_escalado__lte=1),
                name="content_resultadoh5p_puntaje_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"{self.usuario} · {self.paquete} · {self.verbo}"


class Trabajo(models.Model):
    """Un trabajo en segundo plano con avance (exportación, ZIP de certificados,
    importación): un solo ciclo de vida para los tres.

    ``content.trabajos`` hace las transiciones (iniciar, avanzar, terminar, fallar) y
    arma la forma del estado que consultan la página de avance y su JSON. Cada modelo
    concreto guarda además lo suyo (archivo, quién lo pidió, filtros o resultado).
    """

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", _("En cola")
        EN_CURSO = "en_curso", _("En curso")
        LISTO = "listo", _("Listo")
        ERROR = "error", _("Error")

    # Cómo nombra cada modelo sus estados ante quien espera (p. ej. «Generando»).
    ETIQUETAS: ClassVar[dict[str, str]] = {}

    estado = models.CharField(
        _("estado"), max_length=20, choices=Estado.choices, default=Estado.PENDIENTE
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    hechos = models.PositiveIntegerField(_("hechos"), default=0)
    progreso = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    error_mensaje = models.TextField(_("mensaje de error"), blank=True)
    created_at = models.DateTimeField(_("pedido el"), auto_now_add=True)
    terminada_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def terminado(self) -> bool:
        return self.estado in {self.Estado.LISTO, self.Estado.ERROR}

    @property
    def estado_etiqueta(self) -> str:
        return str(self.ETIQUETAS.get(self.estado) or self.get_estado_display())


class Importacion(Trabajo):
    """Una importación de planilla en segundo plano (nómina, asistencia, banco de
    preguntas): el archivo subido, su avance y su resultado.

    Vive en el schema del tenant: otro tenant no la ve. Solo quien la pidió la ve.
    Termina «lista» aunque la planilla traiga errores: entonces no aplicó nada y
    ``resultado["rechazada"]`` lo dice (``rechazada``).
    """

    ETIQUETAS: ClassVar[dict[str, str]] = {
        Trabajo.Estado.EN_CURSO: _("Importando"),
        Trabajo.Estado.LISTO: _("Aplicada"),
        Trabajo.Estado.ERROR: _("Falló"),
    }

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    tipo = models.CharField(_("tipo"), max_length=30)
    usuario_id = models.BigIntegerField(_("usuario"))
    # La función que importa (ruta con puntos, de la lista de content.trabajos).
    funcion = models.CharField(max_length=200)
    parametros = models.JSONField(default=dict, blank=True)
    nombre_archivo = models.CharField(max_length=255, blank=True)
    # La planilla subida; se borra al terminar.
    datos = models.BinaryField(null=True, blank=True)
    # Lo que hizo; los valores de las filas con error (pueden traer RUT) se purgan
    # tras IMPORTACIONES_RETENCION_DIAS (content.trabajos.importaciones_purgar).
    resultado = models.JSONField(default=dict, blank=True)
    volver = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.tipo} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def rechazada(self) -> bool:
        return self.estado == self.Estado.LISTO and bool(
            self.resultado.get("rechazada")
        )

    @property
    def con_planilla_de_errores(self) -> bool:
        """Rechazada y aún con los valores de sus filas con error (la purga los borra
        pasada la retención)."""
        return self.rechazada and not self.resultado.get("purgada")

    @property
    def estado_etiqueta(self) -> str:
        if self.rechazada:
            return str(_("Rechazada: la planilla tiene errores"))
        return super().estado_etiqueta
