from django.urls import path

from . import views

app_name = "verificacion"

urlpatterns = [
    path("verificar/", views.formulario, name="formulario"),
    path("verificar/<str:codigo>", views.resultado, name="resultado"),
    # Con barra final también (se tipea a mano o la agrega un cliente de correo).
    path("verificar/<str:codigo>/", views.resultado),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
]
