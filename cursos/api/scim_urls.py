"""Rutas SCIM 2.0 (``/scim/v2/``): solo el recurso User y los metadatos.

Van aparte de cursos/api/scim.py porque django_scim.views importa, al cargarse, el
AUTH_CHECK_MIDDLEWARE de los settings (que vive en scim.py).
"""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import re_path
from django_scim import constants, exceptions
from django_scim import views as scim_views

from .scim import UsuarioSCIM

MAX_POR_PAGINA = 500


class TiposRecursoView(scim_views.ResourceTypesView):
    """Solo el recurso User: los grupos de SCIM no se ofrecen (los roles se asignan
    dentro del tenant)."""

    def type_dict_by_type_id(self, request):
        tipo = UsuarioSCIM.resource_type_dict(request)
        return {tipo["id"]: tipo}


class UsuariosView(scim_views.UsersView):
    def get_object(self):
        # El id es el entero interno; otro texto no existe (404, no un error 500).
        if not str(self.kwargs.get(self.lookup_url_kwarg) or "").isdigit():
            raise exceptions.NotFoundError(self.kwargs.get(self.lookup_url_kwarg))
        return super().get_object()

    def _build_response(self, request, qs, start, count):
        # La biblioteca cuenta recorriendo todas las filas y lee el perfil de cada
        # persona con consultas aparte: con 60.000 funcionarios, cada página leía
        # la institución entera. Aquí: COUNT, una página y sus perfiles unidos.
        if not isinstance(qs, QuerySet):
            return super()._build_response(request, qs, start, count)
        count = min(count if count is not None else 50, MAX_POR_PAGINA)
        total = qs.count()
        pagina = qs.select_related("perfil__unidad", "perfil__institucion")[
            start - 1 : start - 1 + count
        ]
        recursos = [UsuarioSCIM(o, request=request).to_dict() for o in pagina]
        documento = {
            "schemas": [constants.SchemaURI.LIST_RESPONSE],
            "totalResults": total,
            "itemsPerPage": len(recursos),
            "startIndex": start,
            "Resources": recursos,
        }
        return HttpResponse(
            json.dumps(documento), content_type=constants.SCIM_CONTENT_TYPE
        )

    def post(self, request, *args, **kwargs):
        # Se crea en /Users; un POST a /Users/<id> no es de SCIM.
        if kwargs.get(self.lookup_url_kwarg):
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


urlpatterns = [
    re_path(r"^$", scim_views.SCIMView.as_view(implemented=False), name="root"),
    re_path(
        r"^Users/\.search$", scim_views.UserSearchView.as_view(), name="users-search"
    ),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", UsuariosView.as_view(), name="users"),
    re_path(
        r"^ServiceProviderConfig$",
        scim_views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        TiposRecursoView.as_view(),
        name="resource-types",
    ),
    re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        scim_views.SchemasView.as_view(),
        name="schemas",
    ),
]
