"""Primer acceso y recuperación de contraseña en el sitio de cada tenant.

Las personas que importa la nómina (cursos/services/nomina.py) no tienen una
contraseña utilizable: la crean aquí con un enlace que llega a su correo. Se pide solo
el correo (nunca el RUT, que no va a URL ni a log; DESIGN.md §6) y la respuesta es la
misma exista o no el correo.

- El token lleva el schema: un enlace de un tenant no sirve en otro aunque el id del
  usuario coincida (cada schema tiene su propia tabla de usuarios).
- Las solicitudes se limitan por IP y schema con un contador en la caché.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lib.correo import correo_enviar
from lib.limites import ip_cliente, ventana_contar

logger = logging.getLogger(__name__)


PLANTILLA_CORREO = "tenants/emails/clave"
# Un nombre de usuario con forma de RUT no se escribe en el correo.
_PARECE_RUT = re.compile(r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dkK]")


class TokenClave(PasswordResetTokenGenerator):
    """Token de Django más el schema: lo que vale en alfa no vale en beta."""

    key_salt = "tenants.clave.TokenClave"

    def _make_hash_value(self, user, timestamp):
        return (
            f"{connection.schema_name}\x00{super()._make_hash_value(user, timestamp)}"
        )


token_clave = TokenClave()


def institucion_nombre() -> str:
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return gettext("Mesa Intersectorial sobre Trata de Personas")
    return tenant.nombre


def _usuario_mostrable(usuario) -> str:
    """El nombre de usuario solo va en el correo de quien aún no tiene contraseña
    (la importó la nómina y no sabe con qué nombre ingresar). Quien ya la tiene lo
    conoce: en una recuperación, y en la del admin, el correo no lo repite, así quien
    lea ese correo no se lleva la mitad de la credencial."""
    if usuario.has_usable_password():
        return ""
    nombre = usuario.get_username()
    return "" if _PARECE_RUT.search(nombre) else nombre


def clave_enlace_enviar(
    *, usuario, url_base: str, institucion: str, invitacion: bool = False
) -> bool:
    """Envía el enlace para crear la contraseña; el enlace va al host ``url_base``.

    Un fallo del correo se registra (con el id, sin correo ni RUT) y no se propaga:
    la página de solicitud responde igual exista o no la cuenta.
    """
    uid = urlsafe_base64_encode(force_bytes(usuario.pk))
    ruta = reverse(
        "clave_confirmar",
        kwargs={"uidb64": uid, "token": token_clave.make_token(usuario)},
    )
    dias = max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)
    contexto = {
        "nombre": usuario.get_full_name() or gettext("persona usuaria"),
        "usuario": _usuario_mostrable(usuario),
        "institucion": institucion,
        "enlace": url_base.rstrip("/") + ruta,
        "url_ingreso": url_base.rstrip("/") + reverse("ingresar"),
        "dias": dias,
        "invitacion": invitacion,
    }
    try:
        correo_enviar(
            plantilla=PLANTILLA_CORREO, destinatario=usuario.email, contexto=contexto
        )
    except Exception:
        logger.exception(
            "No se pudo enviar el enlace de contraseña al usuario %s", usuario.pk
        )
        return False
    return True


def invitaciones_pendientes(unidad_id: int):
    """Personas activas de la unidad, con correo, que aún no crean su contraseña."""
    return (
        get_user_model()
        .objects.filter(
            perfil__unidad_id=unidad_id,
            is_active=True,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .exclude(email="")
    )


def invitaciones_enviar(*, unidad_id: int, url_base: str = "") -> int:
    """Invita a activar su cuenta a las personas pendientes de una unidad (solo en
    el schema de un tenant). Volver a llamarla reinvita a quienes sigan pendientes."""
    url_base = url_base or connection.tenant.url
    institucion = institucion_nombre()
    enviados = sum(
        clave_enlace_enviar(
            usuario=usuario,
            url_base=url_base,
            institucion=institucion,
            invitacion=True,
        )
        for usuario in invitaciones_pendientes(unidad_id)
    )
    logger.info(
        "Invitaciones de activación enviadas: %s (unidad %s, schema %s)",
        enviados,
        unidad_id,
        connection.schema_name,
    )
    return enviados


def _iguales(a: str, b: str) -> bool:
    """Comparación sin mayúsculas de Unicode (la misma de Django, que es privada)."""
    return (
        unicodedata.normalize("NFKC", a).casefold()
        == unicodedata.normalize("NFKC", b).casefold()
    )


class FormularioClave(PasswordResetForm):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        """Como Django, pero sin excluir las contraseñas inutilizables: es justo la
        situación de quien importó la nómina y entra por primera vez."""
        User = get_user_model()
        campo = User.get_email_field_name()
        activos = User._default_manager.filter(
            **{f"{campo}__iexact": email, "is_active": True}
        )
        return (u for u in activos if _iguales(email, getattr(u, campo)))

    def save(self, *, url_base: str, institucion: str, **_opciones) -> int:
        enviados = 0
        for usuario in self.get_users(self.cleaned_data["email"]):
            enviados += clave_enlace_enviar(
                usuario=usuario, url_base=url_base, institucion=institucion
            )
        return enviados


def _clave_solicitudes(request) -> str:
    huella = hashlib.sha256(ip_cliente(request).encode()).hexdigest()[:40]
    return f"clave-solicitudes:{connection.schema_name}:{huella}"


def solicitud_registrar(request) -> int:
    """Cuenta una solicitud de la IP en este schema; la ventana corre desde la
    primera."""
    return ventana_contar(
        _clave_solicitudes(request),
        settings.CLAVE_VENTANA_SEGUNDOS,
    )


def mensaje_limite() -> str:
    ventana = settings.CLAVE_VENTANA_SEGUNDOS
    minutos = max(1, ventana // 60)
    return ngettext(
        "Demasiadas solicitudes de contraseña desde esta conexión. Por seguridad, "
        "espere %(n)s minuto e inténtelo de nuevo.",
        "Demasiadas solicitudes de contraseña desde esta conexión. Por seguridad, "
        "espere %(n)s minutos e inténtelo de nuevo.",
        minutos,
    ) % {"n": minutos}


class SolicitarClaveView(auth_views.PasswordResetView):
    template_name = "tenants/clave_solicitar.html"
    form_class = FormularioClave
    token_generator = token_clave
    success_url = reverse_lazy("clave_enviada")

    def post(self, request, *args, **kwargs):
        maximo = settings.CLAVE_MAX_SOLICITUDES
        solicitudes = solicitud_registrar(request)
        if solicitudes > maximo:
            if solicitudes == maximo + 1:
                # Sin IP ni correo: basta saber que hubo un bloqueo y dónde.
                logger.warning(
                    "Solicitudes de contraseña limitadas en el schema %s",
                    connection.schema_name,
                )
            contexto = self.get_context_data(
                form=self.get_form(), limite=mensaje_limite()
            )
            respuesta = self.render_to_response(contexto, status=429)
            respuesta["Retry-After"] = str(settings.CLAVE_VENTANA_SEGUNDOS)
            return respuesta
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.save(
            url_base=f"{self.request.scheme}://{self.request.get_host()}",
            institucion=institucion_nombre(),
        )
        return HttpResponseRedirect(self.get_success_url())


class ClaveEnviadaView(auth_views.PasswordResetDoneView):
    template_name = "tenants/clave_enviada.html"


class ClaveConfirmarView(auth_views.PasswordResetConfirmView):
    template_name = "tenants/clave_nueva.html"
    token_generator = token_clave
    reset_url_token = "nueva"
    success_url = reverse_lazy("clave_lista")

    def render_to_response(self, context, **response_kwargs):
        # Enlace ajeno, usado o vencido: la página explica, con un 404 (como toda URL
        # de otro tenant; tests/seguridad/test_urls_otro_tenant.py).
        if not self.validlink:
            response_kwargs.setdefault("status", 404)
        return super().render_to_response(context, **response_kwargs)


class ClaveListaView(auth_views.PasswordResetCompleteView):
    template_name = "tenants/clave_lista.html"
