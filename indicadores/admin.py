"""El plan y sus metas se editan en el admin de Django del sitio público (MITP)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tenants.models import InstitucionCatalogo

from .models import Accion, Eje, Exportacion, MetaAnual, Plan


class EjeInline(admin.TabularInline):
    model = Eje
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["nombre", "inicio", "fin"]
    inlines = [EjeInline]


class MetaInline(admin.TabularInline):
    model = MetaAnual
    extra = 0
    fields = [
        "anio",
        "unidad",
        "valor",
        "inicio",
        "plazo",
        "texto",
        "instituciones",
        "logrado_manual",
    ]


@admin.register(Accion)
class AccionAdmin(admin.ModelAdmin):
    list_display = ["codigo", "eje", "indicador", "institucion_coordinadora"]
    list_filter = ["eje"]
    search_fields = ["codigo", "texto", "indicador"]
    inlines = [MetaInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "eje",
                    "codigo",
                    "numero",
                    "orden",
                    "linea",
                    "texto",
                    "indicador",
                    "meta_texto",
                    "institucion_coordinadora",
                ]
            },
        ),
        (
            _("Quién y cómo cuenta"),
            {
                "fields": [
                    "sectores",
                    "tipos",
                    "instituciones",
                    "modalidades",
                    "fundamento",
                ]
            },
        ),
    ]


@admin.register(InstitucionCatalogo)
class InstitucionCatalogoAdmin(admin.ModelAdmin):
    """El catálogo nacional de instituciones (tenants/catalogo/instituciones.yaml)."""

    list_display = ["nombre", "codigo", "sigla", "sector", "region"]
    list_filter = ["sector"]
    search_fields = ["nombre", "codigo", "sigla"]


@admin.register(Exportacion)
class ExportacionAdmin(admin.ModelAdmin):
    """Bitácora de exportaciones: solo lectura."""

    list_display = ["created_at", "tipo", "schema_name", "usuario", "filas", "estado"]
    list_filter = ["tipo", "estado", "schema_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
