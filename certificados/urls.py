from django.urls import path

from . import views

app_name = "certificados"

urlpatterns = [
    path("", views.mis_certificados, name="mis_certificados"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/openbadge/", views.openbadge, name="openbadge"),
    path("<int:pk>/recertificar/", views.recertificar, name="recertificar"),
    path("encargado/", views.encargado_lista, name="encargado"),
    path("encargado/<int:pk>/revocar/", views.revocar, name="revocar"),
    path("encargado/lotes/", views.lote_solicitar, name="lote_solicitar"),
    path("encargado/lotes/<int:pk>/", views.lote, name="lote"),
    path("encargado/lotes/<int:pk>/estado/", views.lote_estado, name="lote_estado"),
    path(
        "encargado/lotes/<int:pk>/descargar/",
        views.lote_descargar,
        name="lote_descargar",
    ),
]
