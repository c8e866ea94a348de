from django.urls import path

from . import views

app_name = "indicadores"

urlpatterns = [
    path("", views.tablero_mitp, name="tablero"),
    path("exportar/plan/", views.exportar_plan, name="exportar_plan"),
    path("metas/", views.metas_manuales_lista, name="metas_manuales"),
    path("metas/<int:meta_id>/", views.meta_manual, name="meta_manual"),
    path(
        "metas/<int:meta_id>/evidencia/",
        views.meta_evidencia,
        name="meta_evidencia",
    ),
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
