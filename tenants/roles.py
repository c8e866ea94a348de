"""Roles de la plataforma (DESIGN.md §1), guardados como grupos de Django."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rol(models.TextChoices):
    FUNCIONARIO = "funcionario", _("Funcionario/a")
    ENCARGADO = "encargado", _("Encargado/a de capacitación")
    EDITOR = "editor", _("Editor/a de contenidos")
    COORDINADOR_MITP = "coordinador_mitp", _("Coordinación MITP")


# Los editores también entran al grupo de Wagtail que da permisos sobre páginas.
GRUPO_WAGTAIL_EDITORES = "Editors"
# Editors más publicar: la editora publica los cursos de su institución.
GRUPO_WAGTAIL_MODERADORES = "Moderators"


def tiene_rol(user, rol: Rol) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=rol.value).exists()


def rol_requerido(*roles: Rol):
    """Decorador de vista: exige sesión y alguno de ``roles`` (si no, 403)."""

    def decorador(vista):
        @wraps(vista)
        @login_required
        def envoltura(request, *args, **kwargs):
            if not any(tiene_rol(request.user, rol) for rol in roles):
                raise PermissionDenied
            return vista(request, *args, **kwargs)

        return envoltura

    return decorador


def nombre_visible(usuario) -> str:
    """Cómo se muestra una persona: su nombre o, si no lo tiene, su usuario."""
    return usuario.get_full_name() or usuario.get_username()
