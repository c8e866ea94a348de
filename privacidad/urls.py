from django.urls import path

from .views import encargado, persona

app_name = "privacidad"

urlpatterns = [
    path("mis-datos/", persona.mis_datos, name="mis_datos"),
    path("mis-datos/descargar.json", persona.mis_datos_json, name="mis_datos_json"),
    path("mis-datos/imprimible/", persona.mis_datos_html, name="mis_datos_html"),
    path("mis-datos/descargar.pdf", persona.mis_datos_pdf, name="mis_datos_pdf"),
    path("encargado/privacidad/", encargado.personas, name="personas"),
    path(
        "encargado/privacidad/personas/<int:usuario_id>/",
        encargado.persona,
        name="persona",
    ),
    path(
        "encargado/privacidad/personas/<int:usuario_id>/anonimizar/",
        encargado.anonimizar,
        name="anonimizar",
    ),
    path(
        "encargado/privacidad/solicitudes/", encargado.solicitudes, name="solicitudes"
    ),
    path(
        "encargado/privacidad/solicitudes/<int:solicitud_id>/",
        encargado.solicitud_resolver,
        name="solicitud_resolver",
    ),
    path("encargado/privacidad/retencion/", encargado.retencion, name="retencion"),
    path("encargado/privacidad/bitacora/", encargado.bitacora, name="bitacora"),
]
