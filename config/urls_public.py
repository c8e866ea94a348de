"""URLs del sitio público de la MITP (schema public)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.middleware import salud
from tenants import views as tenants_views
from tenants.archivos import media_urlpatterns

# Base de datos caída fuera de una vista: 503 en español (config/middleware.py).
handler500 = "config.middleware.error_500"

urlpatterns = [
    path("", tenants_views.portada_mitp, name="portada"),
    # Chequeo de salud del balanceador (docs/operations.md).
    path("salud/", salud, name="salud"),
    path("", include("tenants.cuentas.urls")),
    path("", include("verificacion.urls")),
    path("", include("certificados.urls_publico")),
    path("django-admin/", admin.site.urls),
    path("indicadores/", include("indicadores.urls_publico")),
    # Ley 21.719: la MITP anonimiza personas y ve la bitácora de privacidad.
    path("", include("privacidad.urls_publico")),
    # Solo MEDIA_ROOT/public/ (los logos del sitio público); nunca la de un tenant.
    *media_urlpatterns(),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
