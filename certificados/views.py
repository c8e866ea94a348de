"""Vistas del tenant: «Mis certificados» de cada persona y la lista del encargado/a.

Cada consulta filtra por el usuario (o exige el rol de encargado): un certificado ajeno
o de otro tenant responde 404, nunca 403, para no revelar que existe.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from content.trabajos import trabajo_estado
from tenants.archivos import descarga_privada, privado_responder
from tenants.roles import Rol, nombre_visible, rol_requerido, tiene_rol
from tenants.selectors import tenant_actual
from verificacion.services import registro_buscar

from . import services
from .documentos import certificado_openbadge, certificado_pdf_generar, url_verificacion
from .forms import FiltroCertificadosForm, LoteZipForm, RevocarForm
from .models import Certificado, LoteZip
from .selectors import certificados_filtrar


def _certificado_visible(request, pk: int) -> Certificado:
    """El certificado propio; el encargado/a ve todos los de su tenant."""
    qs = Certificado.objects.all()
    if not tiene_rol(request.user, Rol.ENCARGADO):
        qs = qs.filter(usuario=request.user)
    return get_object_or_404(qs, pk=pk)


@login_required
def mis_certificados(request):
    certificados = list(
        Certificado.objects.filter(usuario=request.user).order_by("-emitido_at")
    )
    for certificado in certificados:
        certificado.url_verificacion = url_verificacion(certificado.codigo)
        certificado.recertificable = services.recertificable(certificado)
    return render(
        request,
        "certificados/mis_certificados.html",
        {"certificados": certificados},
    )


@login_required
def pdf(request, pk: int):
    certificado = _certificado_visible(request, pk)
    contenido = certificado_pdf_generar(certificado, tenant=tenant_actual())
    response = HttpResponse(contenido, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificado-{certificado.codigo_formateado}.pdf"'
    )
    return response


@login_required
def openbadge(request, pk: int):
    certificado = _certificado_visible(request, pk)
    response = HttpResponse(
        certificado_openbadge(certificado, tenant=tenant_actual()),
        content_type="application/vc+jwt",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="openbadge-{certificado.codigo_formateado}.jwt"'
    )
    return response


@login_required
@require_POST
def recertificar(request, pk: int):
    certificado = get_object_or_404(Certificado, pk=pk, usuario=request.user)
    try:
        inscripcion = services.recertificacion_iniciar(certificado=certificado)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("certificados:mis_certificados")
    messages.success(
        request,
        _("Quedó inscrita o inscrito en «%(curso)s» (ciclo %(ciclo)s).")
        % {"curso": inscripcion.curso.title, "ciclo": inscripcion.ciclo},
    )
    return redirect(inscripcion.curso.url)


@rol_requerido(Rol.ENCARGADO)
def encargado_lista(request):
    filtro = FiltroCertificadosForm(request.GET or None)
    criterios = filtro.cleaned_data if filtro.is_valid() else {}
    certificados = certificados_filtrar(
        unidad_id=getattr(criterios.get("unidad"), "pk", None),
        curso_id=getattr(criterios.get("curso"), "pk", None),
        estado=criterios.get("estado") or None,
    )
    pagina = Paginator(certificados, 50).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    return render(
        request,
        "certificados/encargado_lista.html",
        {
            "filtro": filtro,
            "pagina": pagina,
            "consulta": consulta.urlencode(),
            "lote_form": LoteZipForm(initial={"unidad": criterios.get("unidad")}),
            "revocar_form": RevocarForm(),
            "es_encargado": True,
        },
    )


@rol_requerido(Rol.ENCARGADO)
@require_POST
def revocar(request, pk: int):
    certificado = get_object_or_404(Certificado, pk=pk)
    form = RevocarForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indique el motivo de la revocación."))
        services.certificado_revocar(
            certificado=certificado,
            motivo=form.cleaned_data["motivo"],
            por=nombre_visible(request.user),
            usuario=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Se revocó el certificado %s.") % certificado.codigo_formateado,
        )
    return redirect(reverse("certificados:encargado") + "?" + request.GET.urlencode())


@rol_requerido(Rol.ENCARGADO)
@require_POST
def lote_solicitar(request):
    form = LoteZipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija una unidad."))
        return redirect("certificados:encargado")
    lote = services.lote_zip_solicitar(
        unidad=form.cleaned_data["unidad"], usuario=request.user
    )
    return redirect("certificados:lote", pk=lote.pk)


@rol_requerido(Rol.ENCARGADO)
def lote(request, pk: int):
    lote = get_object_or_404(LoteZip.objects.select_related("unidad"), pk=pk)
    return render(
        request,
        "certificados/lote.html",
        {"lote": lote, "avance": _lote_avance(lote), "es_encargado": True},
    )


def _lote_avance(lote: LoteZip) -> dict:
    descarga = reverse("certificados:lote_descargar", args=[lote.pk])
    return trabajo_estado(lote, descarga=descarga)


@never_cache
@rol_requerido(Rol.ENCARGADO)
def lote_estado(request, pk: int):
    lote = get_object_or_404(LoteZip, pk=pk)
    return JsonResponse(_lote_avance(lote))


@descarga_privada(Rol.ENCARGADO)
def lote_descargar(request, pk: int):
    """El ZIP lleva datos personales: sin sesión 404, sin el rol 403, de otro tenant
    404 (la consulta corre en el schema del host)."""
    lote = get_object_or_404(
        LoteZip.objects.select_related("unidad"), pk=pk, estado=LoteZip.Estado.LISTO
    )
    return privado_responder(lote.archivo, nombre=lote.nombre_descarga)


@rol_requerido(Rol.COORDINADOR_MITP)
@require_POST
def revocar_desde_registro(request, codigo: str):
    """Revocación por la Coordinación MITP desde la verificación (schema public)."""
    registro = registro_buscar(texto=codigo)
    if registro is None:
        raise Http404
    try:
        services.certificado_revocar_desde_registro(
            registro=registro,
            motivo=request.POST.get("motivo", ""),
            por=nombre_visible(request.user),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("El certificado quedó revocado."))
    return redirect("verificacion:resultado", codigo=registro.codigo)
