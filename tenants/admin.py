from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from .models import Domain, Tenant


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["nombre", "schema_name", "grupo", "pais", "es_plantilla"]
    inlines = [DomainInline]
    readonly_fields = ["schema_name"]
