"""Pantallas de la encargada o encargado: listar, crear y revocar tokens de la API.

El secreto se muestra una sola vez, en la respuesta al crear (sin redirigir, para no
guardarlo en la sesión), con ``Cache-Control: no-store``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.roles import Rol, rol_requerido

from .forms import TokenCrearForm
from .models import TokenAPI
from .tokens import token_crear, token_revocar


@rol_requerido(Rol.ENCARGADO)
def tokens(request):
    secreto = nuevo = None
    if request.method == "POST":
        form = TokenCrearForm(request.POST)
        if form.is_valid():
            nuevo, secreto = token_crear(creado_por=request.user, **form.cleaned_data)
            form = TokenCrearForm()
    else:
        form = TokenCrearForm()
    response = render(
        request,
        "cursos/api/tokens.html",
        {
            "form": form,
            "tokens": TokenAPI.objects.select_related("institucion", "creado_por"),
            "secreto": secreto,
            "nuevo": nuevo,
            "es_encargado": True,
            "url_documentacion": reverse("api:docs"),
        },
    )
    add_never_cache_headers(response)
    return response


@require_POST
@rol_requerido(Rol.ENCARGADO)
def token_revocar_vista(request, token_id: int):
    token = get_object_or_404(TokenAPI, pk=token_id)
    token_revocar(token=token, revocado_por=request.user)
    messages.success(
        request,
        _("Se revocó el token «%(nombre)s»: ya no autentica.")
        % {"nombre": token.nombre},
    )
    return redirect("api_tokens:lista")
