"""Vistas de avisos: la lista y el contador del encabezado, «Mis avisos» (qué recibir
por correo), la baja con un clic desde el correo y «Avisos y atrasos» de la encargada.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cursos.forms import FiltroUnidadForm
from tenants.roles import Rol, nombre_visible, rol_requerido

from . import selectors, services
from .forms import PreferenciasForm
from .models import Categoria


@login_required
def lista(request):
    return render(
        request,
        "avisos/lista.html",
        {"avisos": selectors.avisos_de(usuario=request.user)},
    )


@require_GET
@never_cache
@login_required
def contador(request):
    """El número del encabezado, pedido por la página después de cargar."""
    return JsonResponse(
        {"no_leidos": selectors.avisos_no_leidos_contar(usuario=request.user)}
    )


@require_POST
@login_required
def marcar_leidos(request):
    aviso_id = request.POST.get("aviso")
    services.avisos_marcar_leidos(
        usuario=request.user,
        aviso_id=int(aviso_id) if aviso_id and aviso_id.isdigit() else None,
    )
    return redirect("avisos:lista")


@login_required
def preferencias(request):
    excluidas = selectors.categorias_excluidas(usuario=request.user)
    recibir = [v for v, _n in selectors.excluibles() if v not in excluidas]
    form = PreferenciasForm(request.POST or None, initial={"recibir": recibir})
    if request.method == "POST" and form.is_valid():
        services.preferencias_guardar(
            usuario=request.user, recibir=set(form.cleaned_data["recibir"])
        )
        messages.success(request, _("Sus preferencias de avisos quedaron guardadas."))
        return redirect("avisos:preferencias")
    nombres = dict(Categoria.choices)
    return render(
        request,
        "avisos/preferencias.html",
        {
            "form": form,
            "obligatorias": [nombres[c] for c in sorted(selectors.OBLIGATORIAS)],
        },
    )


# Sin sesión ni CSRF: el enlace firmado es la credencial, y un cliente de correo puede
# enviar el POST de baja sin abrir la página (RFC 8058). El GET solo pregunta: los
# filtros de correo que abren los enlaces no dan de baja a nadie.
@csrf_exempt
@never_cache
def baja(request, firma: str):
    try:
        preferencia, categoria = services.baja_leer(firma)
    except ValidationError:
        return render(request, "avisos/baja_invalida.html", status=404)
    nombre = dict(Categoria.choices)[categoria]
    hecho = False
    if request.method == "POST":
        hecho = services.categoria_excluir(preferencia=preferencia, categoria=categoria)
    return render(
        request,
        "avisos/baja.html",
        {
            "categoria": nombre,
            "obligatoria": categoria in selectors.OBLIGATORIAS,
            "hecho": hecho,
            "ya_excluida": categoria in preferencia.excluidas,
            "firma": firma,
        },
    )


@rol_requerido(Rol.ENCARGADO)
def encargado(request):
    filtro = FiltroUnidadForm(request.GET or None)
    unidad = filtro.cleaned_data["unidad"] if filtro.is_valid() else None
    unidad_id = unidad.pk if unidad is not None else None
    avisos = [
        {"aviso": a, "nombre": nombre_visible(a.usuario), "unidad": _unidad(a.usuario)}
        for a in selectors.avisos_de_unidad(unidad_id=unidad_id)[:500]
    ]
    atrasos = [
        {
            "inscripcion": i,
            "nombre": nombre_visible(i.usuario),
            "unidad": _unidad(i.usuario),
        }
        for i in selectors.inscripciones_atrasadas(unidad_id=unidad_id)[:500]
    ]
    return render(
        request,
        "avisos/encargado.html",
        {
            "filtro": filtro,
            "unidad": unidad,
            "avisos": avisos,
            "atrasos": atrasos,
            "por_unidad": selectors.atrasos_por_unidad(),
            "es_encargado": True,
        },
    )


def _unidad(usuario):
    perfil = getattr(usuario, "perfil", None)
    return perfil.unidad if perfil is not None else None
