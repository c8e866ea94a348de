from django.urls import path

from tenants.cuentas.claveunica import SalirView

from . import clave
from .ingreso import IngresoView

urlpatterns = [
    # Con límite de intentos fallidos por usuario e IP (tenants/cuentas/ingreso.py).
    path("ingresar/", IngresoView.as_view(), name="ingresar"),
    # Cierra la sesión local y, si se entró con ClaveÚnica, la del proveedor.
    path("salir/", SalirView.as_view(), name="salir"),
    # Primer acceso y contraseña olvidada: por correo, con límite por IP y schema
    # (tenants/cuentas/clave.py).
    path("clave/", clave.SolicitarClaveView.as_view(), name="clave_solicitar"),
    path("clave/enviada/", clave.ClaveEnviadaView.as_view(), name="clave_enviada"),
    path("clave/lista/", clave.ClaveListaView.as_view(), name="clave_lista"),
    path(
        "clave/<uidb64>/<token>/",
        clave.ClaveConfirmarView.as_view(),
        name="clave_confirmar",
    ),
]
