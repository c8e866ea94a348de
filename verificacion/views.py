"""Verificación pública de certificados (sitio de la MITP, sin ingreso).

Un código desconocido, adulterado o con el carácter de control errado recibe la misma
respuesta genérica «no válido», para no revelar qué códigos existen.

El registro se lee siempre de la base, así que una revocación se ve en la petición
siguiente; para visitantes sin sesión el HTML se arma con partes en caché
(verificacion/pagina.py).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from lib.limites import ip_cliente
from tenants.roles import Rol, tiene_rol

from .claves import jwks as jwks_publico
from .codigos import codigo_formatear, codigo_normalizar
from .models import EstadoCertificado, RegistroCertificado
from .pagina import resultado_html, sin_sesion
from .services import registro_buscar, verificacion_limite_superado


def limitado_por_ip(vista):
    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        if verificacion_limite_superado(ip=ip_cliente(request)):
            response = render(request, "verificacion/limite.html", status=429)
            response["Retry-After"] = str(settings.CERTIFICADOS_VERIFICACION_VENTANA)
            return response
        return vista(request, *args, **kwargs)

    return envoltura


@never_cache
@limitado_por_ip
def formulario(request):
    texto = request.GET.get("codigo", "").strip()
    if texto:
        codigo = codigo_normalizar(texto)
        if codigo is not None:
            return redirect("verificacion:resultado", codigo=codigo)
        return _no_valido(request, texto)
    return render(request, "verificacion/formulario.html")


def _no_valido(request, texto: str):
    return render(
        request,
        "verificacion/no_valido.html",
        {"texto": texto[:40]},
        status=404,
    )


@never_cache
@limitado_por_ip
def resultado(request, codigo: str):
    registro = registro_buscar(texto=codigo)
    if registro is None:
        return _no_valido(request, codigo)
    estado = registro.estado_efectivo()
    if not sin_sesion(request):
        puede_revocar = estado != EstadoCertificado.REVOCADO and tiene_rol(
            request.user, Rol.COORDINADOR_MITP
        )
        return render(
            request,
            "verificacion/resultado.html",
            _contexto(registro, estado, puede_revocar=puede_revocar),
        )
    response = HttpResponse(
        resultado_html(request, registro=registro, contexto=_contexto(registro, estado))
    )
    # Con sesión la página es otra (formulario de revocación, nombre en la cabecera).
    patch_vary_headers(response, ("Cookie",))
    return response


def _contexto(
    registro: RegistroCertificado, estado: str, *, puede_revocar: bool = False
) -> dict:
    return {
        "registro": registro,
        "estado": estado,
        "estado_etiqueta": EstadoCertificado(estado).label,
        "codigo_formateado": codigo_formatear(registro.codigo),
        "reemplazo": (
            codigo_formatear(registro.reemplazado_por)
            if registro.reemplazado_por
            else ""
        ),
        "puede_revocar": puede_revocar,
    }


def jwks(request):
    response = JsonResponse(jwks_publico())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
