from django.urls import path

from . import views

app_name = "indicadores"

urlpatterns = [
    path("", views.tablero_mitp, name="tablero"),
    path("exportar/plan/", views.exportar_plan, name="exportar_plan"),
    path("exportaciones/<uuid:uuid>/", views.exportacion, name="exportacion"),
    path(
        "exportaciones/<uuid:uuid>/descargar/",
        views.exportacion_descargar,
        name="exportacion_descargar",
    ),
]
