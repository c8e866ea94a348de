"""Límite de intentos fallidos de ingreso por usuario e IP, en la caché del schema.

Vale para el ingreso de cada tenant y del sitio público (tenants/cuentas/urls.py) y para
el admin de Wagtail (``WAGTAILADMIN_USER_LOGIN_FORM``). La clave lleva el schema, así
que los fallos en un tenant no bloquean a nadie en otro, y una huella del usuario en
vez del usuario: puede ser un RUT, que nunca va a la caché ni al log (DESIGN.md §6).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from lib.limites import ip_cliente, ventana_contar
from tenants.cuentas.claveunica import claveunica_configurada
from tenants.cuentas.identificacion import identificador_huella

logger = logging.getLogger(__name__)

CODIGO_BLOQUEO = "demasiados_intentos"


def clave_fallos(request: HttpRequest, username: str) -> str:
    # La huella es la misma para el usuario, su correo y su RUT en cualquier formato:
    # el límite cuenta por persona (tenants/cuentas/identificacion.py).
    huella = hashlib.sha256(
        f"{identificador_huella(username)}\x00{ip_cliente(request)}".encode()
    ).hexdigest()[:40]
    return f"ingreso-fallos:{connection.schema_name}:{huella}"


def ingreso_bloqueado(request: HttpRequest, username: str) -> bool:
    fallos = cache.get(clave_fallos(request, username), 0)
    return fallos >= settings.INGRESO_MAX_FALLOS


def ingreso_fallido_registrar(request: HttpRequest, username: str) -> int:
    """Cuenta un fallo; la ventana corre desde el primero."""
    fallos = ventana_contar(
        clave_fallos(request, username), settings.INGRESO_VENTANA_SEGUNDOS
    )
    if fallos == settings.INGRESO_MAX_FALLOS:
        # Sin usuario ni IP: el usuario puede ser un RUT.
        logger.warning(
            "Ingreso bloqueado por %s intentos fallidos en el schema %s",
            fallos,
            connection.schema_name,
        )
    return fallos


def ingreso_exitoso_registrar(request: HttpRequest, username: str) -> None:
    cache.delete(clave_fallos(request, username))


def error_bloqueo() -> ValidationError:
    minutos = max(1, settings.INGRESO_VENTANA_SEGUNDOS // 60)
    return ValidationError(
        ngettext(
            "Demasiados intentos fallidos de ingreso. Por seguridad, espere %(n)s "
            "minuto e inténtelo de nuevo.",
            "Demasiados intentos fallidos de ingreso. Por seguridad, espere %(n)s "
            "minutos e inténtelo de nuevo.",
            minutos,
        )
        % {"n": minutos},
        code=CODIGO_BLOQUEO,
    )


class LimiteIngresoMixin:
    """Para formularios que heredan de AuthenticationForm (tienen ``self.request``)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        request = self.request
        if request is None:
            return super().clean()
        if ingreso_bloqueado(request, username):
            raise error_bloqueo()
        try:
            datos = super().clean()
        except ValidationError:
            ingreso_fallido_registrar(request, username)
            raise
        ingreso_exitoso_registrar(request, username)
        return datos


class FormularioIngreso(LimiteIngresoMixin, AuthenticationForm):
    pass


class FormularioIngresoAdmin(LimiteIngresoMixin, LoginForm):
    """Ingreso al admin de Wagtail (``WAGTAILADMIN_USER_LOGIN_FORM``)."""


class IngresoView(auth_views.LoginView):
    template_name = "tenants/ingresar.html"
    authentication_form = FormularioIngreso

    def get_context_data(self, **kwargs):
        # El botón «Ingresar con ClaveÚnica» solo si el tenant tiene su cliente.
        contexto = super().get_context_data(**kwargs)
        return {**contexto, "claveunica": claveunica_configurada()}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", CODIGO_BLOQUEO):
            response.status_code = 429
            response["Retry-After"] = str(settings.INGRESO_VENTANA_SEGUNDOS)
        return response
