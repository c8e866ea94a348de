from django.urls import path

from . import views

app_name = "indicadores"

urlpatterns = [
    path("", views.tablero_encargado, name="tablero"),
    path("exportar/<str:tipo>/", views.exportar_tenant, name="exportar"),
    path("exportaciones/<uuid:uuid>/", views.exportacion, name="exportacion"),
    path(
        "exportaciones/<uuid:uuid>/estado/",
        views.exportacion_estado,
        name="exportacion_estado",
    ),
    path(
        "exportaciones/<uuid:uuid>/descargar/",
        views.exportacion_descargar,
        name="exportacion_descargar",
    ),
]
