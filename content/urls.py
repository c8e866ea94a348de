from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path(
        "xapi/<int:leccion_id>/<int:paquete_id>/",
        views.h5p_xapi,
        name="h5p_xapi",
    ),
]
