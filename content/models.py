from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult


class HomePage(Page):
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
            pagina = Page.objects.filter(url_path=url_path).specific().first()
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


class RegistroAuditoria(models.Model):
    """Bitácora por tenant de acciones sensibles (exportaciones, revocaciones…)."""

    usuario_id = models.BigIntegerField(_("usuario"), null=True, blank=True)
    accion = models.CharField(_("acción"), max_length=80)
    detalle = models.JSONField(_("detalle"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("registros de auditoría")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.accion} ({self.created_at:%Y-%m-%d %H:%M})"


class PaginaEstandar(Page):
    """Página de contenido libre (presentación, preguntas frecuentes, contacto)."""

    cuerpo = RichTextField(_("cuerpo"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("cuerpo")]

    class Meta:
        verbose_name = _("página estándar")
        verbose_name_plural = _("páginas estándar")
