from __future__ import annotations

from django.shortcuts import render

from .services import tenants_listar


def portada_mitp(request):
    return render(request, "tenants/portada_mitp.html", {"tenants": tenants_listar()})
