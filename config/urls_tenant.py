"""URLs del sitio de cada tenant: su propio Wagtail y su propio admin."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tenants.archivos import media_urlpatterns

# Base de datos caída fuera de una vista: 503 en español (config/middleware.py).
handler500 = "config.middleware.error_500"

urlpatterns = [
    # La recuperación de contraseña del admin de Wagtail no tenía límite, escribía el
    # nombre de usuario en el correo y enlazaba al sitio público (404). Todas sus
    # rutas (el enlace «¿Olvidó su contraseña?» del ingreso, la confirmación) van a
    # /clave/ del tenant: límite por IP y schema, texto neutro, enlace al host de la
    # petición y token atado al schema (tenants/cuentas/clave.py).
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="clave_solicitar"),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("", include("tenants.cuentas.urls")),
    path("", include("tenants.cuentas.urls_claveunica")),
    path("", include("cursos.urls")),
    # API para RR. HH. (/api/v1/), SCIM (/scim/v2/) y sus tokens (cursos/api/).
    path("", include("cursos.api.urls")),
    path("encargado/indicadores/", include("indicadores.urls_tenant")),
    path("evaluaciones/", include("evaluaciones.urls")),
    path("h5p/", include("content.urls")),
    path("certificados/", include("certificados.urls")),
    path("avisos/", include("avisos.urls")),
    # Ley 21.719: «Mis datos», rectificación, anonimización y retención.
    path("", include("privacidad.urls")),
    # Solo la media de este tenant, con o sin DEBUG (tenants/archivos.py).
    *media_urlpatterns(),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail va al final: atiende todo lo que no calzó antes.
urlpatterns += [path("", include(wagtail_urls))]
