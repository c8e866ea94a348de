"""Datos personales e institucionales de cada usuario (cursos.Perfil).

El RUT se guarda normalizado y nunca se escribe en logs ni mensajes: los errores dicen
qué falló sin repetir el valor ni revelar a quién pertenece un RUT ya registrado.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lib.rut import rut_normalizar

from ..models import Institucion, Perfil, Unidad


def _rut_duplicado_error() -> ValidationError:
    return ValidationError(
        {
            "rut": ValidationError(
                _(
                    "Este RUT ya está registrado en otra cuenta. Si cree que es un "
                    "error, contacte a su encargada o encargado de capacitación."
                ),
                code="rut_duplicado",
            )
        }
    )


def _rut_validar(*, usuario: User, rut: str) -> str:
    try:
        normalizado = rut_normalizar(rut)
    except ValidationError as exc:
        raise ValidationError({"rut": exc.error_list}) from None
    if Perfil.objects.filter(rut=normalizado).exclude(usuario=usuario).exists():
        raise _rut_duplicado_error()
    return normalizado


@transaction.atomic
def perfil_actualizar(
    *,
    usuario: User,
    first_name: str,
    last_name: str,
    rut: str | None,
    sexo: str = "",
    institucion: Institucion | None = None,
    unidad: Unidad | None = None,
    cargo: str = "",
    region: str = "",
) -> Perfil:
    """Actualiza nombre y perfil del usuario; crea el perfil la primera vez.

    ``rut=None`` (o vacío) conserva el RUT registrado: quien ya lo informó no necesita
    volver a escribirlo, y así el formulario nunca lo devuelve sin enmascarar. Si la
    unidad no es de la institución elegida se rechaza; si solo viene la unidad, la
    institución se toma de ella. Los errores son ValidationError por campo.
    """
    # Bloquea la fila para que dos envíos simultáneos no creen dos perfiles.
    perfil, _creado = Perfil.objects.select_for_update().get_or_create(usuario=usuario)
    if rut:
        perfil.rut = _rut_validar(usuario=usuario, rut=rut)
    if unidad is not None:
        if institucion is None:
            institucion = unidad.institucion
        elif unidad.institucion_id != institucion.pk:
            raise ValidationError(
                {
                    "unidad": ValidationError(
                        _("La unidad elegida no pertenece a la institución indicada."),
                        code="unidad_institucion",
                    )
                }
            )
    perfil.sexo = sexo
    perfil.institucion = institucion
    perfil.unidad = unidad
    perfil.cargo = cargo.strip()
    perfil.region = region

    usuario.first_name = first_name.strip()
    usuario.last_name = last_name.strip()
    campos_usuario = {"first_name", "last_name"}
    usuario.clean_fields(
        exclude=[f.name for f in usuario._meta.fields if f.name not in campos_usuario]
    )
    perfil.full_clean()
    usuario.save(update_fields=sorted(campos_usuario))
    try:
        with transaction.atomic():
            perfil.save()
    except IntegrityError:
        # Otra cuenta registró el mismo RUT entre la validación y el guardado.
        raise _rut_duplicado_error() from None
    return perfil
