from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import views_admin
from .forms import PreguntaForm
from .models import Categoria, Evaluacion, Pregunta


class CategoriaViewSet(SnippetViewSet):
    model = Categoria
    icon = "folder-open-inverse"
    menu_label = _("Categorías")
    search_fields = ["nombre"]


class PreguntaViewSet(SnippetViewSet):
    model = Pregunta
    icon = "help"
    menu_label = _("Banco de preguntas")
    list_display = ["codigo", "enunciado", "categoria", "tipo", "activa"]
    list_filter = ["categoria", "tipo", "activa"]
    search_fields = ["codigo", "enunciado"]
    # Los paneles del modelo, con un formulario que valida las opciones.
    edit_handler = ObjectList(Pregunta.panels, base_form_class=PreguntaForm)


class EvaluacionViewSet(SnippetViewSet):
    model = Evaluacion
    icon = "form"
    menu_label = _("Evaluaciones")
    list_display = ["titulo", "curso", "nota_aprobacion", "intentos_max"]
    search_fields = ["titulo"]


class EvaluacionesGroup(SnippetViewSetGroup):
    items = (EvaluacionViewSet, PreguntaViewSet, CategoriaViewSet)
    menu_icon = "form"
    menu_label = _("Evaluaciones")
    menu_name = "evaluaciones"


register_snippet(EvaluacionesGroup)


@hooks.register("register_admin_urls")
def urls_importacion():
    return [
        path("banco/importar/", views_admin.importar, name="evaluaciones_importar"),
        path("banco/plantilla/", views_admin.plantilla, name="evaluaciones_plantilla"),
    ]


@hooks.register("register_admin_menu_item")
def menu_importacion():
    return MenuItem(
        _("Importar preguntas"),
        reverse("evaluaciones_importar"),
        icon_name="upload",
        order=310,
    )
