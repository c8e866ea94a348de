from django.urls import path

from . import views

app_name = "avisos"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("contador/", views.contador, name="contador"),
    path("leidos/", views.marcar_leidos, name="marcar_leidos"),
    path("preferencias/", views.preferencias, name="preferencias"),
    path("baja/<str:firma>/", views.baja, name="baja"),
    path("encargado/", views.encargado, name="encargado"),
]
