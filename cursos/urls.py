from django.urls import path

from .views import (
    aprendiz,
    encargado,
    importaciones,
    invitaciones,
    jornadas,
    perfil,
    roles,
    versiones,
)

app_name = "cursos"

urlpatterns = [
    path("mis-cursos/", aprendiz.mis_cursos, name="mis_cursos"),
    path("cursos/<int:curso_id>/inscribir/", aprendiz.inscribir, name="inscribir"),
    path(
        "lecciones/<int:leccion_id>/completar/",
        aprendiz.completar_leccion,
        name="completar_leccion",
    ),
    # Bajo /h5p/ como los paquetes, pero es de la lección: la completa al aprobar.
    path(
        "h5p/xapi/<int:leccion_id>/<int:paquete_id>/",
        aprendiz.h5p_xapi,
        name="h5p_xapi",
    ),
    path("perfil/", perfil.perfil, name="perfil"),
    path("encargado/", encargado.panel, name="encargado"),
    path(
        "encargado/inscribir/",
        encargado.inscribir,
        name="encargado_inscribir",
    ),
    path(
        "encargado/cursos/<int:curso_id>/",
        encargado.curso_avance,
        name="encargado_curso",
    ),
    path(
        "importaciones/<uuid:uuid>/",
        importaciones.importacion,
        name="importacion",
    ),
    path(
        "importaciones/<uuid:uuid>/estado/",
        importaciones.importacion_estado,
        name="importacion_estado",
    ),
    path(
        "importaciones/<uuid:uuid>/errores.xlsx",
        importaciones.importacion_errores,
        name="importacion_errores",
    ),
    path("encargado/dotacion/", jornadas.dotacion, name="encargado_dotacion"),
    path(
        "encargado/nomina/importar/",
        jornadas.nomina_importar,
        name="encargado_nomina_importar",
    ),
    path(
        "encargado/nomina/plantilla.xlsx",
        jornadas.nomina_plantilla,
        name="encargado_nomina_plantilla",
    ),
    path(
        "encargado/planilla/errores.xlsx",
        jornadas.planilla_errores,
        name="encargado_planilla_errores",
    ),
    path("encargado/jornadas/", jornadas.jornadas, name="encargado_jornadas"),
    path(
        "encargado/jornadas/<int:jornada_id>/",
        jornadas.jornada,
        name="encargado_jornada",
    ),
    path(
        "encargado/jornadas/<int:jornada_id>/qr/",
        jornadas.jornada_qr,
        name="encargado_jornada_qr",
    ),
    path(
        "encargado/jornadas/asistencia/plantilla.xlsx",
        jornadas.asistencia_plantilla,
        name="encargado_asistencia_plantilla",
    ),
    # La encargada invita por unidad a quienes importó con la nómina.
    path(
        "encargado/invitaciones/",
        invitaciones.invitaciones,
        name="encargado_invitaciones",
    ),
    path("jornadas/asistir/<str:token>/", jornadas.asistir, name="asistir"),
]

# Roles del tenant que asigna la encargada.
urlpatterns += [
    path("encargado/roles/", roles.roles, name="encargado_roles"),
    path(
        "encargado/roles/<int:usuario_id>/",
        roles.rol_cambiar,
        name="encargado_rol_cambiar",
    ),
]

# Versiones de los cursos: quién quedó en una versión anterior y su actualización.
urlpatterns += [
    path(
        "encargado/versiones/",
        versiones.encargado_versiones,
        name="encargado_versiones",
    ),
    path(
        "encargado/versiones/<int:curso_id>/",
        versiones.encargado_version_curso,
        name="encargado_version_curso",
    ),
]
