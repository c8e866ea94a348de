"""Instituciones del tenant en el admin de Wagtail: cada una elige su entrada del
catálogo nacional (schema public), por la que cuenta en los indicadores del plan."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Institucion


class InstitucionViewSet(SnippetViewSet):
    model = Institucion
    icon = "group"
    menu_label = _("Instituciones")
    add_to_admin_menu = True
    list_display = ["nombre", "sigla", "catalogo"]
    search_fields = ["nombre", "sigla"]
    form_fields = ["nombre", "sigla", "catalogo"]


register_snippet(InstitucionViewSet)
