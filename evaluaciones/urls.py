from django.urls import path

from . import views

app_name = "evaluaciones"

urlpatterns = [
    path("<int:evaluacion_id>/", views.detalle, name="detalle"),
    path("<int:evaluacion_id>/iniciar/", views.iniciar, name="iniciar"),
    path("intentos/<int:intento_id>/", views.intento, name="intento"),
    path("intentos/<int:intento_id>/guardar/", views.guardar, name="guardar"),
    path("intentos/<int:intento_id>/enviar/", views.enviar, name="enviar"),
    path("intentos/<int:intento_id>/resultado/", views.resultado, name="resultado"),
    path("encargado/", views.encargado_intentos, name="encargado"),
]
