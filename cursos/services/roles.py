"""Roles del tenant que la encargada asigna desde su pantalla (cursos/views/roles.py).

Las reglas de los grupos están en tenants/aprovisionamiento.py; aquí se agrega la
auditoría (content), que tenants, más abajo en las capas, no puede importar.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from tenants.aprovisionamiento import ROLES_TENANT, rol_asignar, rol_quitar, roles_de
from tenants.roles import Rol, nombre_visible


def roles_cambiar(*, actor: User, usuario: User, roles: set[Rol]) -> None:
    """Deja a ``usuario`` con exactamente ``roles`` entre los roles del tenant.

    Los grupos ajenos a los roles del tenant no se tocan; no se da superusuario ni
    staff. La encargada no se quita a sí misma el rol de encargada (se quedaría sin
    esta pantalla). Queda en la bitácora del tenant (Informes → Historial del sitio).
    """
    if connection.schema_name == "public":  # type: ignore[attr-defined]  # django-tenants
        raise PermissionDenied
    if usuario.is_superuser:
        raise PermissionDenied
    ajenos = set(roles) - set(ROLES_TENANT)
    if ajenos:
        raise ValidationError(_("Ese rol no se asigna en este sitio."))
    if usuario.pk == actor.pk and Rol.ENCARGADO not in roles:
        raise ValidationError(
            _("No puede quitarse a sí misma/o el rol de encargado/a de capacitación.")
        )
    antes = roles_de(usuario)
    with transaction.atomic():
        for rol in set(roles) - antes:
            rol_asignar(usuario, rol)
        for rol in antes - set(roles):
            rol_quitar(usuario, rol)
        auditoria_registrar(
            objeto=usuario,
            accion="capacita.roles",
            usuario=actor,
            titulo=nombre_visible(usuario),
            detalle={
                "usuario_id": usuario.pk,
                "antes": sorted(r.value for r in antes),
                "despues": sorted(r.value for r in roles),
            },
        )
