"""Pantallas de la Coordinación MITP (sitio público): anonimizar y ver la bitácora.

La persona se busca por POST (nunca un RUT en la URL) y se anonimiza dentro del
schema de su tenant, con el mismo servicio que usa la encargada.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import get_public_schema_name, tenant_context

from tenants.models import Tenant
from tenants.roles import Rol, nombre_visible, rol_requerido

from ..forms import BuscarMitpForm, MotivoForm
from ..selectors import PREFIJO_ANONIMA, bitacora_privacidad_filas, personas_buscar
from ..services import persona_anonimizar


def _tenant(pk) -> Tenant:
    tenant = (
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .exclude(es_plantilla=True)
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if tenant is None:
        raise Http404
    return tenant


@rol_requerido(Rol.COORDINADOR_MITP)
def personas(request):
    form = BuscarMitpForm(request.POST or None)
    encontradas = None
    tenant = None
    if request.method == "POST" and form.is_valid():
        tenant = form.cleaned_data["tenant"]
        with tenant_context(tenant):
            encontradas = [
                {
                    "id": u.pk,
                    "nombre": nombre_visible(u),
                    "correo": u.email,
                    "unidad": getattr(getattr(u, "perfil", None), "unidad", None),
                }
                for u in personas_buscar(texto=form.cleaned_data["texto"])
            ]
            for fila in encontradas:
                fila["unidad"] = str(fila["unidad"] or "")
        # Lo buscado (quizá un RUT) no vuelve a la página.
        form = BuscarMitpForm(initial={"tenant": tenant.pk})
    return render(
        request,
        "privacidad/mitp_personas.html",
        {
            "form": form,
            "encontradas": encontradas,
            "elegido": tenant,
            "motivo_form": MotivoForm(),
            "es_sitio_publico": True,
        },
    )


@rol_requerido(Rol.COORDINADOR_MITP)
@require_POST
def anonimizar(request):
    tenant = _tenant(request.POST.get("tenant"))
    form = MotivoForm(request.POST)
    usuario_id = request.POST.get("usuario", "")
    if not usuario_id.isdigit():
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Indique el motivo de la anonimización."))
        return redirect("privacidad_mitp:personas")
    with tenant_context(tenant):
        usuario = (
            get_user_model()
            .objects.exclude(username__startswith=PREFIJO_ANONIMA)
            .filter(pk=int(usuario_id))
            .first()
        )
        if usuario is None:
            raise Http404
        try:
            persona_anonimizar(
                usuario=usuario,
                motivo=form.cleaned_data["motivo"],
                por=nombre_visible(request.user),
                sitio="mitp",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("privacidad_mitp:personas")
    messages.success(
        request,
        _("La persona quedó anonimizada en %(tenant)s.") % {"tenant": tenant.nombre},
    )
    return redirect("privacidad_mitp:personas")


@rol_requerido(Rol.COORDINADOR_MITP)
def bitacora(request):
    tenants = (
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .exclude(es_plantilla=True)
        .order_by("nombre")
    )
    tenant = _tenant(request.GET["tenant"]) if request.GET.get("tenant") else None
    entradas = None
    if tenant is not None:
        with tenant_context(tenant):
            entradas = bitacora_privacidad_filas()
    return render(
        request,
        "privacidad/mitp_bitacora.html",
        {
            "tenants": tenants,
            "elegido": tenant,
            "entradas": entradas,
            "es_sitio_publico": True,
        },
    )
