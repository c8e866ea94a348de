"""Rutas de privacidad en el sitio público (Coordinación MITP)."""

from django.urls import path

from .views import mitp

app_name = "privacidad_mitp"

urlpatterns = [
    path("privacidad/", mitp.personas, name="personas"),
    path("privacidad/anonimizar/", mitp.anonimizar, name="anonimizar"),
    path("privacidad/bitacora/", mitp.bitacora, name="bitacora"),
]
