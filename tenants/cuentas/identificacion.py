"""Ingreso por nombre de usuario, correo o RUT (cualquier formato y mayúsculas).

Un mismo selector sirve al backend de contraseña y a la clave del límite de intentos
(tenants/ingreso.py): así los cinco fallos cuentan por persona, escriba lo que
escriba («alice», «Alice@ejemplo.cl» o «12.345.678-5» son la misma cuenta). El RUT se
busca en el perfil del tenant activo (cursos.Perfil, por la relación inversa
``perfil`` del usuario) y nunca va a un log ni a una clave de caché.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import get_public_schema_name

# La única importación de cursos en tenants/cuentas: el RUT vive hoy en cursos/rut.py
# y pasa a lib/rut.py con la reorganización en capas (DESIGN.md §4).
from lib.rut import rut_normalizar

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def rut_o_nada(texto: str) -> str | None:
    """El RUT normalizado («12345678-5») si ``texto`` es un RUT válido."""
    try:
        return rut_normalizar(texto)
    except ValidationError:
        return None


def _unico(consulta):
    # Dos cuentas con el mismo correo (o el mismo nombre en otra caja): ninguna, no
    # se elige una al azar.
    candidatos = list(consulta[:2])
    return candidatos[0] if len(candidatos) == 1 else None


def usuario_por_rut(rut: str) -> AbstractBaseUser | None:
    """La cuenta cuyo perfil en el tenant activo tiene ese RUT (normalizado).

    El schema public no tiene perfiles: ahí no hay ingreso por RUT.
    """
    if connection.schema_name == get_public_schema_name():
        return None
    return get_user_model().objects.filter(perfil__rut=rut).first()


def usuario_por_identificador(identificador: str) -> AbstractBaseUser | None:
    """Nombre de usuario, correo o RUT → la cuenta, o None si no hay una sola.

    Orden: nombre exacto, nombre sin distinguir mayúsculas, correo (si trae «@») y
    RUT en cualquier formato (12.345.678-5, 12345678-5, 123456785).
    """
    texto = (identificador or "").strip()
    if not texto:
        return None
    usuarios = get_user_model().objects
    # Una consulta para el nombre: el exacto gana a sus variantes de mayúsculas.
    mismos = list(usuarios.filter(username__iexact=texto))
    exactos = [u for u in mismos if u.username == texto]
    usuario = exactos[0] if exactos else (mismos[0] if len(mismos) == 1 else None)
    if usuario is None and "@" in texto:
        usuario = _unico(usuarios.filter(email__iexact=texto))
    if usuario is None:
        rut = rut_o_nada(texto)
        if rut is not None:
            usuario = usuario_por_rut(rut)
    return usuario


def identificador_huella(identificador: str) -> str:
    """Huella para la clave del límite de intentos: la misma para cada forma de
    nombrar a una cuenta (usuario, correo, RUT con o sin puntos). Sin cuenta, el texto
    normalizado (un RUT, en su forma canónica). Nunca contiene el RUT en claro."""
    usuario = usuario_por_identificador(identificador)
    if usuario is not None:
        base = f"usuario:{usuario.pk}"
    else:
        texto = (identificador or "").strip().lower()
        base = f"texto:{rut_o_nada(texto) or texto}"
    return hashlib.sha256(base.encode()).hexdigest()


class IngresoBackend(ModelBackend):
    """Contraseña con nombre de usuario, correo o RUT (AUTHENTICATION_BACKENDS)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        usuario = usuario_por_identificador(username)
        if usuario is None:
            # Mismo trabajo que con una cuenta real: el tiempo de respuesta no dice
            # si el usuario, el correo o el RUT existen (como ModelBackend).
            get_user_model()().set_password(password)
            return None
        if usuario.check_password(password) and self.user_can_authenticate(usuario):
            return usuario
        return None
