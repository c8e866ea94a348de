from django.urls import path

from . import views
from .exportaciones.urls import exportaciones_urls

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
    *exportaciones_urls,
]
