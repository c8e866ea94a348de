"""URLs del sitio público de la MITP (schema public)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tenants import views as tenants_views

urlpatterns = [
    path("", tenants_views.portada_mitp, name="portada"),
    path("", include("tenants.urls_auth")),
    path("", include("verificacion.urls")),
    path("django-admin/", admin.site.urls),
    path("indicadores/", include("indicadores.urls_publico")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
