"""La encargada asigna los roles del tenant a las personas de su sitio.

Solo los roles del tenant (funcionario/a, encargado/a, editor/a): nunca superusuario
ni coordinación MITP, y nunca sobre un superusuario (404, como una cuenta que no
existe en este schema). Las reglas están en tenants/aprovisionamiento.py y
cursos/services/roles.py (con la auditoría).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.aprovisionamiento import ROLES_TENANT, personas_con_roles, roles_de
from tenants.roles import Rol, nombre_visible, rol_requerido

from ..services.roles import roles_cambiar

POR_PAGINA = 50


@rol_requerido(Rol.ENCARGADO)
def roles(request):
    buscar = request.GET.get("q", "").strip()[:100]
    pagina = Paginator(personas_con_roles(buscar=buscar), POR_PAGINA).get_page(
        request.GET.get("pagina")
    )
    filas = [(persona, roles_de(persona)) for persona in pagina]
    return render(
        request,
        "cursos/encargado/roles.html",
        {
            "filas": filas,
            "pagina": pagina,
            "buscar": buscar,
            "roles": ROLES_TENANT,
            "es_encargado": True,
        },
    )


@require_POST
@rol_requerido(Rol.ENCARGADO)
def rol_cambiar(request, usuario_id: int):
    usuario = get_object_or_404(
        get_user_model(), pk=usuario_id, is_superuser=False, is_active=True
    )
    validos = {r.value for r in ROLES_TENANT}
    pedidos = request.POST.getlist("roles")
    if any(valor not in validos for valor in pedidos):
        messages.error(request, _("Ese rol no se asigna en este sitio."))
        return redirect("cursos:encargado_roles")
    try:
        roles_cambiar(
            actor=request.user, usuario=usuario, roles={Rol(v) for v in pedidos}
        )
    except ValidationError as exc:
        for mensaje in exc.messages:
            messages.error(request, mensaje)
    else:
        messages.success(
            request,
            _("Roles de %(persona)s actualizados.")
            % {"persona": nombre_visible(usuario)},
        )
    return redirect("cursos:encargado_roles")
