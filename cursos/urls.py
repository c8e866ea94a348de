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

# Dotación, nómina y jornadas (issue 6).
from . import views_jornadas  # noqa: E402

urlpatterns += [
    path("encargado/dotacion/", views_jornadas.dotacion, name="encargado_dotacion"),
    path(
        "encargado/nomina/importar/",
        views_jornadas.nomina_importar,
        name="encargado_nomina_importar",
    ),
    path(
        "encargado/nomina/plantilla.xlsx",
        views_jornadas.nomina_plantilla,
        name="encargado_nomina_plantilla",
    ),
    path(
        "encargado/planilla/errores.xlsx",
        views_jornadas.planilla_errores,
        name="encargado_planilla_errores",
    ),
    path("encargado/jornadas/", views_jornadas.jornadas, name="encargado_jornadas"),
    path(
        "encargado/jornadas/<int:jornada_id>/",
        views_jornadas.jornada,
        name="encargado_jornada",
    ),
    path(
        "encargado/jornadas/<int:jornada_id>/qr/",
        views_jornadas.jornada_qr,
        name="encargado_jornada_qr",
    ),
    path(
        "encargado/jornadas/asistencia/plantilla.xlsx",
        views_jornadas.asistencia_plantilla,
        name="encargado_asistencia_plantilla",
    ),
    path("jornadas/asistir/<str:token>/", views_jornadas.asistir, name="asistir"),
]

# Roles del tenant que asigna la encargada (issue 15).
from . import views_roles  # noqa: E402

urlpatterns += [
    path("encargado/roles/", views_roles.roles, name="encargado_roles"),
    path(
        "encargado/roles/<int:usuario_id>/",
        views_roles.rol_cambiar,
        name="encargado_rol_cambiar",
    ),
]
