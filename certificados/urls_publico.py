"""Rutas de certificados en el sitio público (schema public)."""

from django.urls import path

from . import views

app_name = "certificados_publico"

urlpatterns = [
    # Junto a la verificación: la coordinación revoca desde la página del código.
    path(
        "verificar/<str:codigo>/revocar",
        views.revocar_desde_registro,
        name="revocar",
    ),
]
