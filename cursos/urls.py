from django.urls import path

from . import views

app_name = "cursos"

urlpatterns = [
    path("mis-cursos/", views.mis_cursos, name="mis_cursos"),
    path("cursos/<int:curso_id>/inscribir/", views.inscribir, name="inscribir"),
    path(
        "lecciones/<int:leccion_id>/completar/",
        views.completar_leccion,
        name="completar_leccion",
    ),
]
