"""Invitaciones de activación para la encargada o el encargado de capacitación.

Las personas importadas con la nómina (cursos/services/nomina.py) activan su cuenta en
/clave/ con su correo; desde aquí se les puede enviar ese enlace por unidad.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tenants.roles import Rol, rol_requerido
from tenants.tasks import invitaciones_encolar

from ..models import Unidad


@rol_requerido(Rol.ENCARGADO)
def invitaciones(request):
    if request.method == "POST":
        unidad_id = request.POST.get("unidad", "")
        if not unidad_id.isdecimal():  # un valor manipulado no llega al ORM (500)
            raise Http404
        unidad = get_object_or_404(Unidad, pk=unidad_id)
        invitaciones_encolar(
            unidad_id=unidad.pk,
            url_base=f"{request.scheme}://{request.get_host()}",
        )
        messages.success(
            request,
            _("Las invitaciones para %(u)s se están enviando.") % {"u": unidad},
        )
        return redirect("cursos:encargado_invitaciones")
    pendiente = Q(
        perfiles__usuario__is_active=True,
        perfiles__usuario__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    ) & ~Q(perfiles__usuario__email="")
    unidades = Unidad.objects.select_related("institucion").annotate(
        pendientes=Count("perfiles", filter=pendiente)
    )
    return render(
        request,
        "cursos/invitaciones.html",
        {"unidades": unidades, "es_encargado": True},
    )
