"""«Mi perfil»: cada persona completa sus datos. El RUT solo se muestra enmascarado."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lib.rut import rut_enmascarar
from tenants.roles import Rol, tiene_rol

from ..forms import PerfilForm
from ..models import Perfil
from ..services.perfiles import perfil_actualizar


def errores_agregar(form, exc: ValidationError) -> None:
    """Lleva los errores del servicio a los campos del formulario que existan."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for campo, errores in exc.error_dict.items():
        form.add_error(campo if campo in form.fields else None, errores)


@login_required
def perfil(request):
    usuario = request.user
    actual = Perfil.objects.filter(usuario=usuario).first()
    rut_enmascarado = rut_enmascarar(actual.rut) if actual and actual.rut else ""
    inicial = {"first_name": usuario.first_name, "last_name": usuario.last_name}
    if actual is not None:
        inicial.update(
            sexo=actual.sexo,
            institucion=actual.institucion_id,
            unidad=actual.unidad_id,
            cargo=actual.cargo,
            region=actual.region,
        )
    form = PerfilForm(
        request.POST or None, initial=inicial, rut_enmascarado=rut_enmascarado
    )
    if request.method == "POST" and form.is_valid():
        try:
            perfil_actualizar(usuario=usuario, **form.cleaned_data)
        except ValidationError as exc:
            errores_agregar(form, exc)
        else:
            messages.success(request, _("Sus datos quedaron guardados."))
            return redirect("cursos:perfil")
    return render(
        request,
        "cursos/perfil.html",
        {
            "form": form,
            "rut_enmascarado": rut_enmascarado,
            "es_encargado": tiene_rol(usuario, Rol.ENCARGADO),
        },
    )
