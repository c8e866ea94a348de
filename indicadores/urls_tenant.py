from django.urls import path

from . import views
from .exportaciones.urls import exportaciones_urls

app_name = "indicadores"

urlpatterns = [
    path("", views.tablero_encargado, name="tablero"),
    path("exportar/<str:tipo>/", views.exportar_tenant, name="exportar"),
    *exportaciones_urls,
]
