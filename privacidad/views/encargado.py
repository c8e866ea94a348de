"""Pantallas de la encargada: personas, solicitudes, anonimización, retención."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.rut import rut_enmascarar
from tenants.roles import Rol, nombre_visible, rol_requerido

from ..forms import BuscarForm, MotivoForm, PoliticaForm
from ..models import PoliticaRetencion, SolicitudRectificacion
from ..selectors import (
    PREFIJO_ANONIMA,
    bitacora_privacidad_filas,
    datos_personales,
    personas_buscar,
    personas_inactivas,
    retencion_anios,
    solicitudes_pendientes,
)
from ..services import (
    lectura_registrar,
    persona_anonimizar,
    politica_guardar,
    rectificacion_aceptar,
    rectificacion_rechazar,
    retencion_aplicar,
)


@rol_requerido(Rol.ENCARGADO)
def personas(request):
    form = BuscarForm(request.POST or None)
    encontradas = None
    if request.method == "POST" and form.is_valid():
        encontradas = list(personas_buscar(texto=form.cleaned_data["texto"]))
        # Lo buscado (quizá un RUT) no vuelve a la página.
        form = BuscarForm()
    return render(
        request,
        "privacidad/encargado_personas.html",
        {
            "form": form,
            "encontradas": encontradas,
            "pendientes": solicitudes_pendientes().count(),
            "es_encargado": True,
        },
    )


def _persona(usuario_id: int):
    return get_object_or_404(
        get_user_model().objects.exclude(username__startswith=PREFIJO_ANONIMA),
        pk=usuario_id,
    )


@rol_requerido(Rol.ENCARGADO)
def persona(request, usuario_id: int):
    usuario = _persona(usuario_id)
    datos = datos_personales(usuario)
    # La encargada ve el RUT enmascarado, como en toda página; completo solo su titular.
    datos["perfil"]["rut"] = rut_enmascarar(datos["perfil"]["rut"])
    lectura_registrar(actor=request.user, persona=usuario, sitio="tenant")
    return render(
        request,
        "privacidad/encargado_persona.html",
        {
            "persona": usuario,
            "nombre": nombre_visible(usuario),
            "datos": datos,
            "form": MotivoForm(),
            "es_encargado": True,
        },
    )


@rol_requerido(Rol.ENCARGADO)
@require_POST
def anonimizar(request, usuario_id: int):
    usuario = _persona(usuario_id)
    if usuario.pk == request.user.pk:
        messages.error(request, _("No puede anonimizar su propia cuenta desde aquí."))
        return redirect("privacidad:persona", usuario_id=usuario.pk)
    form = MotivoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indique el motivo de la anonimización."))
        return redirect("privacidad:persona", usuario_id=usuario.pk)
    try:
        persona_anonimizar(
            usuario=usuario,
            motivo=form.cleaned_data["motivo"],
            actor=request.user,
            por=nombre_visible(request.user),
            sitio="tenant",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("privacidad:persona", usuario_id=usuario.pk)
    messages.success(
        request,
        _(
            "La persona quedó anonimizada: sus datos personales se eliminaron y sus "
            "certificados figuran a nombre de «Persona anonimizada»."
        ),
    )
    return redirect("privacidad:personas")


@rol_requerido(Rol.ENCARGADO)
def solicitudes(request):
    return render(
        request,
        "privacidad/encargado_solicitudes.html",
        {
            "solicitudes": solicitudes_pendientes(),
            "form": MotivoForm(),
            "es_encargado": True,
        },
    )


@rol_requerido(Rol.ENCARGADO)
@require_POST
def solicitud_resolver(request, solicitud_id: int):
    solicitud = get_object_or_404(
        SolicitudRectificacion,
        pk=solicitud_id,
        estado=SolicitudRectificacion.Estado.PENDIENTE,
    )
    try:
        if request.POST.get("decision") == "aceptar":
            rectificacion_aceptar(solicitud=solicitud, actor=request.user)
            messages.success(request, _("La corrección quedó aplicada."))
        else:
            rectificacion_rechazar(
                solicitud=solicitud,
                actor=request.user,
                motivo=request.POST.get("motivo", ""),
            )
            messages.success(request, _("La solicitud quedó rechazada."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("privacidad:solicitudes")


@rol_requerido(Rol.ENCARGADO)
def retencion(request):
    """Política de retención del tenant, simulación y aplicación, en una pantalla."""
    politica = PoliticaRetencion.load()
    form = PoliticaForm(
        request.POST if request.POST.get("accion") == "guardar" else None,
        initial={"anios_inactividad": politica.anios_inactividad},
    )
    if request.method == "POST":
        if request.POST.get("accion") == "guardar":
            if form.is_valid():
                politica_guardar(
                    anios=form.cleaned_data["anios_inactividad"], actor=request.user
                )
                messages.success(request, _("La política de retención quedó guardada."))
                return redirect("privacidad:retencion")
        else:
            n = retencion_aplicar(actor=request.user, por=nombre_visible(request.user))
            messages.success(
                request, _("Se anonimizaron %(n)s cuentas inactivas.") % {"n": n}
            )
            return redirect("privacidad:retencion")
    anios = retencion_anios()
    return render(
        request,
        "privacidad/retencion.html",
        {
            "form": form,
            "anios": anios,
            "inactivas": list(personas_inactivas(anios=anios)),
            "es_encargado": True,
        },
    )


@rol_requerido(Rol.ENCARGADO)
def bitacora(request):
    return render(
        request,
        "privacidad/bitacora.html",
        {"entradas": bitacora_privacidad_filas(), "es_encargado": True},
    )
