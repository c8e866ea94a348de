"""Ingreso con ClaveÚnica (OpenID Connect) sobre mozilla-django-oidc.

Flujo de código con ``state``, ``nonce`` y PKCE (S256), scopes ``openid run name``.
Cada tenant tiene su cliente (variables CLAVEUNICA_* y CLAVEUNICA_<SCHEMA>_*,
config/settings/base.py) y su URL de retorno en su propio host; los endpoints salen
del documento de descubrimiento del emisor. El claim RolUnico se valida (módulo 11) y
se busca en la nómina del tenant por el RUT del perfil: nunca crea cuentas, nunca se
guarda fuera del perfil y nunca va a un log.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from django_tenants.utils import get_public_schema_name
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from .identificacion import rut_o_nada, usuario_por_rut

logger = logging.getLogger(__name__)

# Marca en la sesión: la persona entró con ClaveÚnica (al salir, también se cierra
# su sesión en el proveedor). No guarda nada de su identidad.
SESION_CLAVEUNICA = "ingreso_claveunica"


class ClaveUnicaNoDisponible(Exception):
    """El proveedor no respondió o su descubrimiento no es válido."""


@dataclass(frozen=True)
class ConfiguracionClaveUnica:
    client_id: str
    client_secret: str
    issuer: str
    algoritmo: str
    # Cierre de sesión propio de ClaveÚnica (``?redirect=``); vacío: el
    # ``end_session_endpoint`` estándar del descubrimiento, si lo hay.
    url_salida: str


def configuracion_actual() -> ConfiguracionClaveUnica | None:
    """El cliente de ClaveÚnica del tenant activo, o None si no está configurado.

    Las variables por schema reemplazan a las globales aunque vengan vacías: así se
    apaga ClaveÚnica en un tenant (``CLAVEUNICA_<SCHEMA>_CLIENT_ID=``).
    """
    schema = connection.schema_name
    if schema == get_public_schema_name():
        return None
    datos = {**settings.CLAVEUNICA, **settings.CLAVEUNICA_POR_SCHEMA.get(schema, {})}
    if not (datos["CLIENT_ID"] and datos["CLIENT_SECRET"] and datos["ISSUER"]):
        return None
    return ConfiguracionClaveUnica(
        client_id=datos["CLIENT_ID"],
        client_secret=datos["CLIENT_SECRET"],
        issuer=datos["ISSUER"].rstrip("/"),
        algoritmo=datos["SIGN_ALGO"] or "RS256",
        url_salida=datos["LOGOUT_URL"],
    )


def claveunica_configurada() -> bool:
    return configuracion_actual() is not None


def descubrimiento(conf: ConfiguracionClaveUnica) -> dict:
    """Documento ``/.well-known/openid-configuration`` del emisor, en caché."""
    clave = (
        "claveunica-descubrimiento:"
        + hashlib.sha256(conf.issuer.encode()).hexdigest()[:24]
    )
    documento = cache.get(clave)
    if documento is not None:
        return documento
    try:
        respuesta = requests.get(
            f"{conf.issuer}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
        )
        respuesta.raise_for_status()
        documento = respuesta.json()
    except (requests.RequestException, ValueError) as exc:
        raise ClaveUnicaNoDisponible(type(exc).__name__) from exc
    if not isinstance(documento, dict):
        raise ClaveUnicaNoDisponible("descubrimiento inválido")
    necesarios = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint"]
    if conf.algoritmo.startswith(("RS", "ES")):
        necesarios.append("jwks_uri")
    # El emisor del documento debe ser el configurado (OIDC Discovery §4.3).
    emisor = str(documento.get("issuer", "")).rstrip("/")
    if emisor != conf.issuer or not all(documento.get(k) for k in necesarios):
        raise ClaveUnicaNoDisponible("descubrimiento inválido")
    cache.set(clave, documento, settings.CLAVEUNICA_DESCUBRIMIENTO_SEGUNDOS)
    return documento


def rut_desde_claims(datos: dict) -> str | None:
    """RUT normalizado del claim RolUnico, o None si falta o no es válido.

    Forma de ClaveÚnica: ``{"numero": 12345678, "DV": "5", "tipo": "RUN"}``.
    """
    rol = datos.get("RolUnico")
    if not isinstance(rol, dict) or rol.get("tipo", "RUN") != "RUN":
        return None
    numero, dv = rol.get("numero"), rol.get("DV")
    if isinstance(numero, bool) or not isinstance(numero, (int, str)):
        return None
    if not isinstance(dv, (int, str)) or not str(numero).isdigit():
        return None
    return rut_o_nada(f"{numero}-{dv}")


# Códigos de rechazo → mensaje para la persona (ver ClaveUnicaRetornoView).
def _mensaje(codigo: str, request) -> str:
    institucion = getattr(getattr(request, "tenant", None), "nombre", "")
    if codigo == "no_en_nomina":
        return _(
            "Su RUN no figura en la nómina de %(institucion)s, por eso no puede "
            "ingresar con ClaveÚnica. Pida a su encargado/a de capacitación que le "
            "agregue a la nómina."
        ) % {"institucion": institucion or _("esta institución")}
    if codigo == "inactiva":
        return _(
            "Su cuenta está desactivada. Consulte a su encargado/a de capacitación."
        )
    if codigo == "proveedor":
        return _("ClaveÚnica no respondió. Inténtelo de nuevo en unos minutos.")
    if codigo == "cancelado":
        return _("No se completó el ingreso con ClaveÚnica.")
    return _(
        "No se pudo verificar su identidad con ClaveÚnica. Vuelva a intentarlo "
        "desde el botón «Ingresar con ClaveÚnica»."
    )


def _detalle(exc: Exception | None) -> str:
    """Clase de la excepción (y de su causa). El texto solo de SuspiciousOperation:
    lo escriben este módulo y mozilla-django-oidc, nunca con claims."""
    if exc is None:
        return ""
    texto = f": {type(exc).__name__}"
    if isinstance(exc, SuspiciousOperation):
        texto += f" {exc}"
    return texto


def _rechazo_registrar(request, codigo: str, exc: Exception | None = None) -> None:
    """Guarda el motivo para la vista y lo registra sin datos de la persona: ni RUN,
    ni nombre, ni claims; solo el código y la clase de la excepción."""
    request.claveunica_rechazo = codigo
    logger.warning(
        "Ingreso con ClaveÚnica rechazado (%s%s) en el schema %s",
        codigo,
        _detalle(exc),
        connection.schema_name,
    )


class ClaveUnicaBackend(OIDCAuthenticationBackend):
    """Backend de mozilla-django-oidc con el cliente del tenant y la nómina por RUT.

    Solo actúa cuando lo llama la vista de retorno (trae ``nonce``): un formulario
    con ``?code=…&state=…`` no dispara un canje de código.
    """

    def __init__(self, *args, **kwargs):
        # Django crea el backend en cada ingreso y en cada get_user: sin red ni
        # settings obligatorios aquí; el cliente se arma en authenticate().
        self.UserModel = get_user_model()

    get_user = ModelBackend.get_user

    def _configurar(self, conf: ConfiguracionClaveUnica) -> None:
        documento = descubrimiento(conf)
        self.conf = conf
        self.OIDC_OP_TOKEN_ENDPOINT = documento["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = documento["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = documento.get("jwks_uri")
        self.OIDC_RP_CLIENT_ID = conf.client_id
        self.OIDC_RP_CLIENT_SECRET = conf.client_secret
        self.OIDC_RP_SIGN_ALGO = conf.algoritmo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:
            return None
        conf = configuracion_actual()
        if conf is None:
            return None
        try:
            self._configurar(conf)
            usuario = super().authenticate(request, **kwargs)
        except ClaveUnicaNoDisponible as exc:
            _rechazo_registrar(request, "proveedor", exc)
            return None
        except requests.RequestException as exc:
            # El proveedor rechazó el código (400) o no respondió.
            _rechazo_registrar(request, "token", exc)
            return None
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            # Firma alterada, nonce ajeno, token vencido, emisor o audiencia ajenos.
            _rechazo_registrar(request, "token", exc)
            return None
        if usuario is None and not hasattr(request, "claveunica_rechazo"):
            _rechazo_registrar(request, "token")
        return usuario

    def _verify_jws(self, payload, key):
        """Como la biblioteca, pero además exige emisor, audiencia (este cliente) y
        vencimiento; cualquier token inválido es SuspiciousOperation."""
        algoritmo = jwt.get_unverified_header(payload).get("alg")
        if algoritmo != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Algoritmo del id_token inesperado")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algoritmo],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=descubrimiento(self.conf)["issuer"],
                leeway=settings.CLAVEUNICA_TOLERANCIA_SEGUNDOS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            motivo = f"id_token rechazado: {type(exc).__name__}"
            raise SuspiciousOperation(motivo) from exc

    def get_or_create_user(self, access_token, id_token, payload):
        datos = self.get_userinfo(access_token, id_token, payload)
        # El sub de userinfo debe ser el del id_token (OIDC Core §5.3.2).
        if str(datos.get("sub", "")) != str(payload.get("sub", "")):
            _rechazo_registrar(self.request, "token")
            return None
        rut = rut_desde_claims(datos)
        if rut is None:
            _rechazo_registrar(self.request, "run_invalido")
            return None
        usuario = usuario_por_rut(rut)
        if usuario is None:
            # Sin alta automática: solo entra quien está en la nómina del tenant.
            _rechazo_registrar(self.request, "no_en_nomina")
            return None
        if not self.user_can_authenticate(usuario):
            _rechazo_registrar(self.request, "inactiva")
            return None
        return usuario


def _conf_o_404() -> ConfiguracionClaveUnica:
    conf = configuracion_actual()
    if conf is None:
        raise Http404
    return conf


class ClaveUnicaInicioView(OIDCAuthenticationRequestView):
    """«Ingresar con ClaveÚnica»: guarda state, nonce y verificador PKCE en la
    sesión y lleva al proveedor."""

    def __init__(self, **kwargs):
        # La biblioteca lee aquí settings globales; el cliente es del tenant.
        View.__init__(self, **kwargs)

    def get(self, request):
        conf = _conf_o_404()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = descubrimiento(conf)["authorization_endpoint"]
        except ClaveUnicaNoDisponible as exc:
            _rechazo_registrar(request, "proveedor", exc)
            messages.error(request, _mensaje("proveedor", request))
            return HttpResponseRedirect(reverse("ingresar"))
        self.OIDC_RP_CLIENT_ID = conf.client_id
        return super().get(request)


class ClaveUnicaRetornoView(OIDCAuthenticationCallbackView):
    """Retorno del proveedor: canje del código en el backend; ante un rechazo,
    vuelve al ingreso con el motivo en español."""

    def get(self, request):
        _conf_o_404()
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # Un state que esta sesión no inició (otra pestaña, un enlace ajeno).
            _rechazo_registrar(request, "estado", exc)
            return self.login_failure()

    def login_failure(self):
        codigo = getattr(self.request, "claveunica_rechazo", None)
        if codigo is None:
            codigo = "cancelado" if self.request.GET.get("error") else "estado"
            _rechazo_registrar(self.request, codigo)
        messages.error(self.request, _mensaje(codigo, self.request))
        return HttpResponseRedirect(reverse("ingresar"))

    def login_success(self):
        respuesta = super().login_success()
        self.request.session[SESION_CLAVEUNICA] = True
        return respuesta


def url_salida_proveedor(request) -> str:
    """Adónde ir al salir (``OIDC_OP_LOGOUT_URL_METHOD``): al cierre de sesión del
    proveedor si la persona entró con ClaveÚnica y el proveedor lo ofrece; si no, a
    la portada. La sesión local se cierra siempre (OIDCLogoutView)."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    conf = configuracion_actual()
    if conf is None or not request.session.get(SESION_CLAVEUNICA):
        return local
    volver = request.build_absolute_uri(local)
    if conf.url_salida:
        # El cierre propio de ClaveÚnica: /api/v1/accounts/app/logout?redirect=…
        return f"{conf.url_salida}?{urlencode({'redirect': volver})}"
    try:
        fin = descubrimiento(conf).get("end_session_endpoint")
    except ClaveUnicaNoDisponible:
        return local
    if not fin:
        return local
    # RP-Initiated Logout 1.0 con client_id: no se guarda el id_token en la sesión.
    parametros = {"client_id": conf.client_id, "post_logout_redirect_uri": volver}
    return f"{fin}?{urlencode(parametros)}"


class SalirView(OIDCLogoutView):
    """Salir (POST): cierra la sesión local y, si corresponde, la del proveedor."""
