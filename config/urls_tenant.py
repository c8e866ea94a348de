"""URLs del sitio de cada tenant: su propio Wagtail y su propio admin."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tenants.archivos import media_urlpatterns

# Base de datos caída fuera de una vista: 503 en español (config/middleware.py).
handler500 = "config.middleware.error_500"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("", include("tenants.urls_auth")),
    path("", include("cursos.urls")),
    path("encargado/indicadores/", include("indicadores.urls_tenant")),
    path("evaluaciones/", include("evaluaciones.urls")),
    path("h5p/", include("content.urls")),
    path("certificados/", include("certificados.urls")),
    # Solo la media de este tenant, con o sin DEBUG (tenants/archivos.py).
    *media_urlpatterns(),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail va al final: atiende todo lo que no calzó antes.
urlpatterns += [path("", include(wagtail_urls))]
