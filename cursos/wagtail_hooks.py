"""Estructura de la institución en el admin de Wagtail (DESIGN.md §8).

- Instituciones: cada una elige su entrada del catálogo nacional (schema public), por
  la que cuenta en los indicadores del plan.
- Unidades, con su región.
- Dotación por unidad y año: se guarda con las reglas de cursos/roster.py y se
  publica para la MITP al crearla o corregirla.

Las jornadas tienen su pantalla en el área de la encargada (/encargado/jornadas/),
con asistencia y QR: no se duplican aquí.

La encargada de capacitación administra estas pantallas en su tenant: su grupo trae
los permisos (tenants/aprovisionamiento.py).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Dotacion, Institucion, Unidad
from .signals import dotacion_guardada


class InstitucionViewSet(SnippetViewSet):
    model = Institucion
    icon = "group"
    menu_label = _("Instituciones")
    list_display = ["nombre", "sigla", "catalogo"]
    search_fields = ["nombre", "sigla"]
    form_fields = ["nombre", "sigla", "catalogo"]


class UnidadViewSet(SnippetViewSet):
    model = Unidad
    icon = "site"
    menu_label = _("Unidades")
    list_display = ["nombre", "institucion", "region"]
    list_filter = ["institucion", "region"]
    search_fields = ["nombre"]
    # Las instituciones de un tenant son pocas: una lista simple en vez del
    # selector modal de snippets.
    edit_handler = ObjectList(
        [
            FieldPanel("institucion", widget=forms.Select),
            FieldPanel("nombre"),
            FieldPanel("region"),
        ]
    )


class DotacionForm(WagtailAdminModelForm):
    def clean(self):
        datos = super().clean()
        total = datos.get("total")
        fem, masc = datos.get("femenino"), datos.get("masculino")
        if None not in (total, fem, masc) and fem + masc > total:
            raise ValidationError(
                _("Mujeres más hombres no puede superar la dotación total."),
                code="dotacion_sexo",
            )
        return datos


class DotacionViewSet(SnippetViewSet):
    model = Dotacion
    icon = "list-ul"
    menu_label = _("Dotación")
    list_display = ["unidad", "anio", "total", "femenino", "masculino"]
    list_filter = ["anio", "unidad__institucion"]
    edit_handler = ObjectList(
        [
            FieldPanel(campo)
            for campo in ("unidad", "anio", "total", "femenino", "masculino")
        ],
        base_form_class=DotacionForm,
    )


class EstructuraGroup(SnippetViewSetGroup):
    items = (InstitucionViewSet, UnidadViewSet, DotacionViewSet)
    menu_icon = "group"
    menu_label = _("Institución")
    menu_name = "institucion"


register_snippet(EstructuraGroup)


def _dotacion_publicar(request, instance):
    # La misma señal que cursos.services.nomina.dotacion_guardar: indicadores la
    # escucha y publica la dotación nacional.
    if isinstance(instance, Dotacion):
        dotacion_guardada.send(sender=Dotacion, dotacion=instance)


hooks.register("after_create_snippet", _dotacion_publicar)
hooks.register("after_edit_snippet", _dotacion_publicar)


@hooks.register("register_log_actions")
def auditoria_tokens_api(actions):
    """A la bitácora: los tokens de la API (y lo que se escribe con ellos) y la
    asistencia importada de una jornada."""
    from content.models import RegistroAuditoria

    from .api.models import TokenAPI
    from .models import Jornada

    actions.register_model(TokenAPI, RegistroAuditoria)
    actions.register_model(Jornada, RegistroAuditoria)


# --- Versiones de un curso (issue 16) --------------------------------------------
# La editora publica una versión desde la página del curso: botón «Versiones» en la
# cabecera del editor (y en el menú «…» del listado de páginas).


@hooks.register("register_admin_urls")
def urls_versiones():
    from django.urls import path

    from .views import versiones

    return [
        path(
            "cursos/<int:curso_id>/versiones/",
            versiones.admin_versiones,
            name="cursos_versiones",
        )
    ]


def _boton_versiones(page, user, priority: int):
    from wagtail.admin.ui.menus.pages import PageMenuItem

    from .models import CursoPage

    if not isinstance(page.specific_deferred, CursoPage):
        return []
    if not page.permissions_for_user(user).can_publish():
        return []
    from django.urls import reverse

    return [
        PageMenuItem(
            _("Versiones"),
            reverse("cursos_versiones", args=[page.pk]),
            icon_name="history",
            priority=priority,
            page=page,
        )
    ]


@hooks.register("register_page_header_buttons")
def boton_versiones_cabecera(page, user, view_name=None, next_url=None):
    return _boton_versiones(page, user, priority=66)


@hooks.register("register_page_listing_more_buttons")
def boton_versiones_listado(page, user, next_url=None):
    return _boton_versiones(page, user, priority=55)


@hooks.register("after_create_page")
def version_inicial_curso(request, page):
    """Un curso creado en el admin parte en su versión («1.0»): así lo que se
    complete en él queda en una versión conocida."""
    from .models import CursoPage
    from .services.versiones import version_inicial_asegurar

    if isinstance(page.specific_deferred, CursoPage):
        version_inicial_asegurar(page.specific_deferred)


@hooks.register("register_log_actions")
def auditoria_versiones(actions):
    """Publicar una versión y asignar su actualización quedan en la bitácora."""
    from content.models import RegistroAuditoria

    from .models import VersionCurso

    actions.register_model(VersionCurso, RegistroAuditoria)
