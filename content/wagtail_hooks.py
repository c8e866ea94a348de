"""Admin de Wagtail de content: paquetes H5P (subida validada y desempacada)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSet,
)

from .h5p import (
    archivos_eliminar_al_confirmar,
    carpeta_eliminar,
    paquete_cargar,
    paquete_validar,
)
from .models import PaqueteH5P


class PaqueteH5PForm(WagtailAdminModelForm):
    """Valida el .h5p en el formulario: los errores aparecen junto al campo."""

    def clean_archivo(self):
        archivo = self.cleaned_data.get("archivo")
        if archivo and "archivo" in self.changed_data:
            paquete_validar(archivo)
        return archivo


class DesempacarMixin:
    """Desempaca el paquete nuevo al guardar y limpia lo que quede obsoleto."""

    def save_instance(self):
        paquete = self.form.instance
        if "archivo" not in self.form.changed_data:
            return super().save_instance()
        anterior = (
            PaqueteH5P.objects.filter(pk=paquete.pk)
            .values_list("carpeta", "archivo")
            .first()
        )
        paquete_cargar(paquete=paquete, archivo=self.form.cleaned_data["archivo"])
        try:
            instancia = super().save_instance()
        except BaseException:
            carpeta_eliminar(paquete.carpeta)
            raise
        if anterior:
            archivos_eliminar_al_confirmar(carpeta=anterior[0], archivo=anterior[1])
        return instancia


class PaqueteH5PCreateView(DesempacarMixin, CreateView):
    pass


class PaqueteH5PEditView(DesempacarMixin, EditView):
    pass


class PaqueteH5PDeleteView(DeleteView):
    def delete_action(self):
        carpeta, archivo = self.object.carpeta, self.object.archivo.name
        with transaction.atomic():
            super().delete_action()
            archivos_eliminar_al_confirmar(carpeta=carpeta, archivo=archivo)


class PaqueteH5PViewSet(SnippetViewSet):
    model = PaqueteH5P
    icon = "code"
    menu_label = _("Paquetes H5P")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["titulo", "biblioteca_principal", "created_at"]
    search_fields = ["titulo"]
    # Copiar duplicaría la carpeta desempacada; se sube de nuevo si hace falta.
    copy_view_enabled = False
    add_view_class = PaqueteH5PCreateView
    edit_view_class = PaqueteH5PEditView
    delete_view_class = PaqueteH5PDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel(
                "titulo",
                help_text=_("Nombre con que los editores lo elegirán en la lección."),
            ),
            FieldPanel(
                "archivo",
                help_text=_(
                    "Paquete .h5p con todas sus bibliotecas incluidas. Se revisa "
                    "tamaño, rutas, extensiones y dependencias antes de guardarlo."
                ),
            ),
        ],
        base_form_class=PaqueteH5PForm,
    )


register_snippet(PaqueteH5PViewSet)


@hooks.register("register_log_actions")
def auditoria_registrar_acciones(actions):
    """Las acciones de la bitácora del tenant (content.services.ACCIONES_AUDITORIA).

    Las cuentas del tenant también escriben en RegistroAuditoria (los cambios de roles
    se registran sobre la persona); cada app registra allí sus propios modelos.
    """
    from django.contrib.auth import get_user_model

    from .models import Importacion, RegistroAuditoria
    from .services import ACCIONES_AUDITORIA

    for accion, (etiqueta, mensaje) in ACCIONES_AUDITORIA.items():
        actions.register_action(accion, etiqueta, mensaje)
    actions.register_model(get_user_model(), RegistroAuditoria)
    actions.register_model(Importacion, RegistroAuditoria)
