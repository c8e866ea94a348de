"""Tokens de la API: crear, revocar y autenticar con ``Authorization: Bearer``.

El secreto se muestra una sola vez al crearlo; en la base queda su SHA-256. Cada
token vive en el schema de su tenant, así que uno de alfa presentado en el host de
beta simplemente no existe allí (401).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from content.services import auditoria_registrar
from cursos.models import Institucion

from .models import TokenAPI, token_hash, token_secreto_nuevo

# El último uso se escribe a lo más una vez por minuto: una escritura por petición
# sería una fila caliente para un sistema que sincroniza miles de veces.
USO_RESOLUCION = timedelta(minutes=1)


@transaction.atomic
def token_crear(
    *, nombre: str, institucion: Institucion, alcance: str, creado_por
) -> tuple[TokenAPI, str]:
    """Crea un token y devuelve (token, secreto). El secreto no se guarda."""
    secreto = token_secreto_nuevo()
    token = TokenAPI(
        nombre=nombre.strip(),
        institucion=institucion,
        alcance=alcance,
        prefijo=secreto[: len("cap_") + 8],
        hash=token_hash(secreto),
        creado_por=creado_por,
    )
    token.full_clean()
    token.save()
    auditoria_registrar(
        objeto=token,
        accion="capacita.token_api",
        usuario=creado_por,
        detalle={
            "operacion": "api_token_crear",
            "token": token.pk,
            "prefijo": token.prefijo,
            "institucion": institucion.pk,
            "alcance": alcance,
        },
    )
    return token, secreto


@transaction.atomic
def token_revocar(*, token: TokenAPI, revocado_por) -> TokenAPI:
    """Revoca el token (idempotente): deja de autenticar en la próxima petición."""
    bloqueado = TokenAPI.objects.select_for_update().get(pk=token.pk)
    if bloqueado.revocado_at is not None:
        return bloqueado
    bloqueado.revocado_at = timezone.now()
    bloqueado.revocado_por = revocado_por
    bloqueado.save(update_fields=["revocado_at", "revocado_por"])
    auditoria_registrar(
        objeto=bloqueado,
        accion="capacita.token_api",
        usuario=revocado_por,
        detalle={
            "operacion": "api_token_revocar",
            "token": bloqueado.pk,
            "prefijo": bloqueado.prefijo,
        },
    )
    return bloqueado


def token_autenticar(secreto: str) -> TokenAPI:
    """El token activo de ese secreto en el schema actual, o ValidationError."""
    token = (
        TokenAPI.objects.select_related("institucion")
        .filter(hash=token_hash(secreto))
        .first()
    )
    if token is None or not token.activo:
        raise ValidationError(_("El token no es válido o fue revocado."))
    ahora = timezone.now()
    if token.ultimo_uso_at is None or ahora - token.ultimo_uso_at > USO_RESOLUCION:
        TokenAPI.objects.filter(pk=token.pk).update(ultimo_uso_at=ahora)
        token.ultimo_uso_at = ahora
    return token


def secreto_de_cabecera(valor: bytes) -> str | None:
    """El secreto de «Bearer <token>»; None si la cabecera no es Bearer."""
    partes = valor.split()
    if not partes or partes[0].lower() != b"bearer":
        return None
    if len(partes) != 2:
        raise ValidationError(_("La cabecera Authorization debe ser «Bearer <token>»."))
    try:
        return partes[1].decode("ascii")
    except UnicodeDecodeError:
        raise ValidationError(_("El token no es válido o fue revocado.")) from None


@dataclass(frozen=True)
class UsuarioToken:
    """El «usuario» de una petición de la API: el sistema dueño del token."""

    token: TokenAPI
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False
    pk: None = None
    id: None = None

    def __str__(self) -> str:
        return f"token {self.token.prefijo}"


class TokenBearerAuthentication(BaseAuthentication):
    def authenticate(self, request):
        try:
            secreto = secreto_de_cabecera(get_authorization_header(request))
            if secreto is None:
                return None
            token = token_autenticar(secreto)
        except ValidationError as exc:
            raise exceptions.AuthenticationFailed(" ".join(exc.messages)) from None
        return UsuarioToken(token), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="capacita"'


class TokenPermiso(BasePermission):
    """Con token activo se lee; escribir exige un token de lectura y escritura."""

    message = gettext_lazy("Este token es de solo lectura: no puede modificar datos.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, TokenAPI):
            return False
        # Las búsquedas por RUT van por POST (el RUT nunca en la URL) y no escriben.
        if request.method in SAFE_METHODS or getattr(view, "solo_lee", False):
            return True
        return token.puede_escribir


class TokenThrottle(SimpleRateThrottle):
    """Límite por token en la caché compartida (Redis en producción).

    La clave pasa por ``django_tenants.cache.make_key``: cada tenant cuenta aparte.
    La tasa se lee de settings en cada petición (se puede ajustar sin reiniciar las
    pruebas ni la clase).
    """

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_LIMITE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if isinstance(token, TokenAPI):
            return f"api_throttle_token_{token.pk}"
        return f"api_throttle_ip_{self.get_ident(request)}"


class TokenBearerEsquema(OpenApiAuthenticationExtension):
    """Describe la autenticación en el esquema OpenAPI (drf-spectacular)."""

    target_class = TokenBearerAuthentication
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token creado en Encargado/a › Tokens de la API.",
        }
