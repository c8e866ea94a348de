"""Las páginas de una exportación (avance, su estado en JSON y la descarga): las
mismas en el sitio de un tenant y en el público, cada una bajo su prefijo."""

from django.urls import path

from .. import views

exportaciones_urls = [
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
