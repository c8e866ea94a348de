"""Roles y primera cuenta de un tenant nuevo (DESIGN.md §8, onboarding sin shell).

- ``grupos_aprovisionar`` crea en el schema activo los grupos de los roles del tenant
  (funcionario, encargado, editor) con sus permisos. Lo llama ``tenant_crear`` (admin,
  comando ``crear_tenant`` y demo pasan por ahí) y es idempotente.
- ``rol_asignar`` suma a una persona a un rol, con los grupos de Wagtail que ese rol
  trae (la editora también es «Editors» y «Moderators»).
- ``encargado_invitar`` crea la cuenta de la primera encargada o encargado, sin
  contraseña, y le envía el enlace de activación de tenants/cuentas/clave.py en el
  host del tenant; devuelve el enlace para mostrárselo también a la MITP.
- ``roles_cambiar`` (cursos/services/roles.py) es lo que la encargada hace desde su
  pantalla de roles: solo
  roles del tenant, nunca superusuario ni coordinación MITP, y queda auditado.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import tenant_context

from .roles import GRUPO_WAGTAIL_EDITORES, GRUPO_WAGTAIL_MODERADORES, Rol

logger = logging.getLogger(__name__)

# Roles que se dan dentro de un tenant. La coordinación MITP es del schema public.
ROLES_TENANT = (Rol.FUNCIONARIO, Rol.ENCARGADO, Rol.EDITOR)

# Lo que la encargada administra en Wagtail: la estructura de su institución. La
# dotación no se borra desde allí (ya está publicada para la MITP); se corrige.
PERMISOS_ENCARGADO = {
    "wagtailadmin": ["access_admin"],
    "cursos": [
        "add_institucion",
        "change_institucion",
        "delete_institucion",
        "view_institucion",
        "add_unidad",
        "change_unidad",
        "delete_unidad",
        "view_unidad",
        "add_dotacion",
        "change_dotacion",
        "view_dotacion",
    ],
}


def _permisos(por_app: dict[str, list[str]]):
    permisos = []
    for app, codigos in por_app.items():
        permisos += Permission.objects.filter(
            content_type__app_label=app, codename__in=codigos
        )
    return permisos


def grupos_aprovisionar() -> dict[Rol, Group]:
    """Crea (si faltan) los grupos de los roles del tenant activo y sus permisos."""
    grupos = {
        rol: Group.objects.get_or_create(name=rol.value)[0] for rol in ROLES_TENANT
    }
    grupos[Rol.ENCARGADO].permissions.add(*_permisos(PERMISOS_ENCARGADO))
    return grupos


def rol_asignar(usuario, rol: Rol) -> None:
    """Suma a ``usuario`` al grupo de ``rol`` (y a los de Wagtail que el rol trae)."""
    grupo, _creado = Group.objects.get_or_create(name=rol.value)
    usuario.groups.add(grupo)
    if rol == Rol.EDITOR:
        # «Editors» de Wagtail crea y edita páginas pero no publica; «Moderators» es
        # lo mismo más publicar, y la editora publica los cursos de su institución.
        # Esos grupos los crean las migraciones de Wagtail en cada schema.
        usuario.groups.add(
            *Group.objects.filter(
                name__in=[GRUPO_WAGTAIL_EDITORES, GRUPO_WAGTAIL_MODERADORES]
            )
        )
    if rol == Rol.COORDINADOR_MITP:
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="tenants")
        )


def rol_quitar(usuario, rol: Rol) -> None:
    grupos = [rol.value]
    if rol == Rol.EDITOR:
        grupos += [GRUPO_WAGTAIL_EDITORES, GRUPO_WAGTAIL_MODERADORES]
    usuario.groups.remove(*Group.objects.filter(name__in=grupos))


def activacion_enlace(*, usuario, url_base: str) -> str:
    """El mismo enlace que envía tenants/cuentas/clave.py (token ligado al schema
    activo)."""
    from .cuentas.clave import token_clave

    uid = urlsafe_base64_encode(force_bytes(usuario.pk))
    ruta = reverse(
        "clave_confirmar",
        kwargs={"uidb64": uid, "token": token_clave.make_token(usuario)},
    )
    return url_base.rstrip("/") + ruta


def encargado_invitar(*, tenant, correo: str) -> str:
    """Crea (o reusa) la cuenta de la primera encargada del tenant y la invita.

    La cuenta queda sin contraseña: la crea con el enlace, en el host del tenant.
    Devuelve el enlace (la MITP lo ve en pantalla por si el correo no llega).
    """
    from .cuentas.clave import clave_enlace_enviar

    correo = correo.strip().lower()
    User = get_user_model()
    with tenant_context(tenant):
        usuario = User.objects.filter(email__iexact=correo).first()
        if usuario is None:
            usuario = User(username=correo, email=correo)
            usuario.set_unusable_password()
            usuario.save()
        rol_asignar(usuario, Rol.ENCARGADO)
        url_base = tenant.url
        enlace = activacion_enlace(usuario=usuario, url_base=url_base)
        clave_enlace_enviar(
            usuario=usuario,
            url_base=url_base,
            institucion=tenant.nombre,
            invitacion=True,
        )
        logger.info(
            "Primera cuenta de encargado invitada (usuario %s, schema %s)",
            usuario.pk,
            tenant.schema_name,
        )
    return enlace


def roles_de(usuario) -> set[Rol]:
    # groups.all(): usa el prefetch de la lista (una consulta por página, no por fila).
    nombres = {grupo.name for grupo in usuario.groups.all()}
    return {rol for rol in ROLES_TENANT if rol.value in nombres}


def personas_con_roles(*, buscar: str = ""):
    """Cuentas del tenant que la encargada administra (sin superusuarios), filtradas
    por nombre, usuario o correo (nunca por RUT: la búsqueda va en la URL)."""
    personas = get_user_model().objects.filter(is_superuser=False, is_active=True)
    for palabra in buscar.split():
        personas = personas.filter(
            Q(first_name__icontains=palabra)
            | Q(last_name__icontains=palabra)
            | Q(username__icontains=palabra)
            | Q(email__icontains=palabra)
        )
    return personas.prefetch_related("groups").order_by(
        "last_name", "first_name", "username"
    )
