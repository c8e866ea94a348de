"""Rutas de ClaveÚnica, solo en los tenants (config/urls_tenant.py). La URL de
retorno que se registra en ClaveÚnica es https://<host del tenant>/claveunica/retorno/.
"""

from django.urls import path

from .claveunica import ClaveUnicaInicioView, ClaveUnicaRetornoView

urlpatterns = [
    path(
        "claveunica/ingresar/",
        ClaveUnicaInicioView.as_view(),
        name="claveunica_inicio",
    ),
    path(
        "claveunica/retorno/",
        ClaveUnicaRetornoView.as_view(),
        name="claveunica_retorno",
    ),
]
