from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from .aprovisionamiento import encargado_invitar
from .forms import TenantCrearForm
from .models import Domain, Tenant
from .services import tenant_crear


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["nombre", "schema_name", "grupo", "pais", "es_plantilla"]
    inlines = [DomainInline]
    readonly_fields = ["schema_name"]
    add_fieldsets = [
        (None, {"fields": ["nombre", "grupo", "pais", "color_primario"]}),
        (_("Sitio"), {"fields": ["schema_name", "dominio"]}),
        (_("Primera cuenta"), {"fields": ["correo_encargado"]}),
    ]

    def get_inlines(self, request, obj):
        # El dominio del alta lo crea tenant_crear; después se edita en línea.
        return self.inlines if obj is not None else []

    def _encargado_invitar(self, request, tenant, correo: str) -> None:
        """Invita a la primera encargada y muestra el enlace a la MITP, por si el
        correo no llega (el enlace vence y sirve una vez, como el del correo)."""
        enlace = encargado_invitar(tenant=tenant, correo=correo)
        messages.success(
            request,
            format_html(
                gettext(
                    "Se invitó a {correo} como encargado/a de capacitación. Si el "
                    "correo no llega, envíele este enlace para crear su contraseña: "
                    '<a href="{enlace}">{enlace}</a>'
                ),
                correo=correo,
                enlace=enlace,
            ),
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Alta con tenant_crear: schema clonado, dominio, sitio Wagtail, portada y
        currículo. No pasa por save_model porque el servicio puede rechazar datos
        que el formulario aceptó, y ese error debe volver al formulario."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TenantCrearForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            datos = dict(form.cleaned_data)
            correo = datos.pop("correo_encargado", "")
            try:
                tenant = tenant_crear(**datos)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.log_addition(request, tenant, [{"added": {}}])
                if correo:
                    self._encargado_invitar(request, tenant, correo)
                return self.response_add(request, tenant)
        adminform = helpers.AdminForm(form, self.add_fieldsets, {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Añadir tenant"),
            "subtitle": None,
            "adminform": adminform,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + adminform.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=True, form_url=form_url)
