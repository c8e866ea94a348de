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

from . import views_encargado, views_perfil  # noqa: E402

urlpatterns += [
    path("perfil/", views_perfil.perfil, name="perfil"),
    path("encargado/", views_encargado.panel, name="encargado"),
    path(
        "encargado/inscribir/",
        views_encargado.inscribir,
        name="encargado_inscribir",
    ),
    path(
        "encargado/cursos/<int:curso_id>/",
        views_encargado.curso_avance,
        name="encargado_curso",
    ),
]
