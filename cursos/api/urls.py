"""Rutas de la API (``/api/v1/``), SCIM (``/scim/v2/``) y las pantallas de tokens
(``/encargado/api/``). Ninguna lleva un RUT."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pantallas, scim_urls, views

api_v1 = [
    path("personas/", views.PersonasView.as_view(), name="personas"),
    path(
        "personas/buscar/", views.PersonasBuscarView.as_view(), name="personas_buscar"
    ),
    path("unidades/", views.UnidadesView.as_view(), name="unidades"),
    path("dotacion/", views.DotacionView.as_view(), name="dotacion"),
    path("cursos/", views.CursosView.as_view(), name="cursos"),
    path("inscripciones/", views.InscripcionesView.as_view(), name="inscripciones"),
    path(
        "inscripciones/unidad/",
        views.InscripcionesUnidadView.as_view(),
        name="inscripciones_unidad",
    ),
    path("avance/", views.AvanceView.as_view(), name="avance"),
    path("certificados/", views.CertificadosView.as_view(), name="certificados"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
]

encargado = [
    path("", pantallas.tokens, name="lista"),
    path(
        "<int:token_id>/revocar/",
        pantallas.token_revocar_vista,
        name="revocar",
    ),
]

urlpatterns = [
    path("api/v1/", include((api_v1, "api"))),
    path("scim/v2/", include((scim_urls.urlpatterns, "scim"))),
    path("encargado/api/", include((encargado, "api_tokens"))),
]
