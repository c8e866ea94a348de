from django.urls import path, re_path

from .h5p import views

app_name = "content"

urlpatterns = [
    # Paquetes en el iframe aislado (content/h5p/servicio.py): el documento
    # reproductor en la raíz de la carpeta y cada archivo bajo ella.
    re_path(
        r"^paquetes/(?P<carpeta>[0-9a-f]{32})/$",
        views.h5p_reproductor,
        name="h5p_reproductor",
    ),
    re_path(
        r"^paquetes/(?P<carpeta>[0-9a-f]{32})/(?P<ruta>.+)$",
        views.h5p_archivo,
        name="h5p_archivo",
    ),
    path(
        "reproductor/<path:ruta>",
        views.h5p_reproductor_estatico,
        name="h5p_reproductor_estatico",
    ),
]
