"""Vistas de dotación, nómina y jornadas (encargada/o) y del registro por QR (aprendiz).

Ninguna muestra RUT: las personas se identifican por nombre. Los errores de planillas se
informan por número de fila.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.peticiones import anio_pedido
from lib.planillas import errores_xlsx
from lib.planillas import xlsx_respuesta as _xlsx
from tenants.roles import Rol, rol_requerido

from ..forms import JornadaForm, PlanillaForm
from ..models import Dotacion, Jornada, Unidad
from ..services import jornadas as servicio
from ..services import nomina as roster

SESION_ERRORES = "cursos_planilla_errores"


def _entero(valor: str) -> int | None:
    valor = (valor or "").strip()
    if not valor:
        return None
    numero = int(valor)
    if numero < 0:
        raise ValueError
    return numero


@rol_requerido(Rol.ENCARGADO)
def dotacion(request):
    anio = anio_pedido(request)
    unidades = list(Unidad.objects.select_related("institucion"))
    if request.method == "POST":
        guardadas, errores = 0, []
        for unidad in unidades:
            try:
                total = _entero(request.POST.get(f"total_{unidad.pk}", ""))
                fem = _entero(request.POST.get(f"femenino_{unidad.pk}", ""))
                masc = _entero(request.POST.get(f"masculino_{unidad.pk}", ""))
            except ValueError:
                errores.append(
                    _("%(u)s: use números enteros positivos.") % {"u": unidad}
                )
                continue
            if total is None:
                continue
            try:
                roster.dotacion_guardar(
                    unidad=unidad, anio=anio, total=total, femenino=fem, masculino=masc
                )
                guardadas += 1
            except ValidationError as exc:
                errores.append(f"{unidad}: {' '.join(exc.messages)}")
        for error in errores:
            messages.error(request, error)
        messages.success(
            request,
            _("Dotación %(anio)s guardada en %(n)s unidades.")
            % {"anio": anio, "n": guardadas},
        )
        return redirect(f"{reverse('cursos:encargado_dotacion')}?anio={anio}")
    existentes = {d.unidad_id: d for d in Dotacion.objects.filter(anio=anio)}
    filas = [(u, existentes.get(u.pk)) for u in unidades]
    return render(
        request,
        "cursos/jornadas/dotacion.html",
        {"anio": anio, "filas": filas, "es_encargado": True},
    )


@rol_requerido(Rol.ENCARGADO)
def nomina_importar(request):
    form = PlanillaForm(request.POST or None, request.FILES or None)
    resultado = None
    if request.method == "POST" and form.is_valid():
        try:
            resultado = roster.nomina_importar(
                form.cleaned_data["archivo"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("archivo", exc)
        else:
            request.session[SESION_ERRORES] = resultado.errores
    return render(
        request,
        "cursos/jornadas/nomina_importar.html",
        {"form": form, "resultado": resultado, "es_encargado": True},
    )


@rol_requerido(Rol.ENCARGADO)
def nomina_plantilla(request):
    return _xlsx(roster.plantilla_xlsx(), "plantilla-nomina.xlsx")


@rol_requerido(Rol.ENCARGADO)
def planilla_errores(request):
    errores = request.session.get(SESION_ERRORES)
    if errores is None:
        raise Http404
    return _xlsx(errores_xlsx(errores), "errores-planilla.xlsx")


@rol_requerido(Rol.ENCARGADO)
def jornadas(request):
    form = JornadaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            jornada = servicio.jornada_guardar(
                jornada=form.save(commit=False), creada_por=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Jornada registrada."))
            return redirect("cursos:encargado_jornada", jornada_id=jornada.pk)
    lista = Jornada.objects.select_related("curso").order_by("-inicio")[:200]
    return render(
        request,
        "cursos/jornadas/lista.html",
        {"form": form, "jornadas": lista, "es_encargado": True},
    )


@rol_requerido(Rol.ENCARGADO)
def jornada(request, jornada_id: int):
    obj = get_object_or_404(Jornada.objects.select_related("curso"), pk=jornada_id)
    form = PlanillaForm(request.POST or None, request.FILES or None)
    resultado = None
    if request.method == "POST" and form.is_valid():
        try:
            resultado = servicio.asistencias_importar(
                jornada=obj,
                archivo=form.cleaned_data["archivo"],
                registrada_por=request.user,
            )
        except ValidationError as exc:
            form.add_error("archivo", exc)
        else:
            request.session[SESION_ERRORES] = resultado.errores
    asistencias = obj.asistencias.select_related("usuario").order_by(
        "usuario__last_name", "usuario__first_name"
    )
    return render(
        request,
        "cursos/jornadas/detalle.html",
        {
            "jornada": obj,
            "asistencias": asistencias,
            "form": form,
            "resultado": resultado,
            "es_encargado": True,
        },
    )


@rol_requerido(Rol.ENCARGADO)
def jornada_qr(request, jornada_id: int):
    obj = get_object_or_404(Jornada.objects.select_related("curso"), pk=jornada_id)
    url = request.build_absolute_uri(
        reverse("cursos:asistir", kwargs={"token": obj.token})
    )
    return render(
        request,
        "cursos/jornadas/qr.html",
        {"jornada": obj, "qr": servicio.qr_svg(url), "url": url, "es_encargado": True},
    )


@rol_requerido(Rol.ENCARGADO)
def asistencia_plantilla(request):
    return _xlsx(servicio.plantilla_asistencia_xlsx(), "plantilla-asistencia.xlsx")


@login_required
def asistir(request, token: str):
    obj = Jornada.objects.select_related("curso").filter(token=token).first()
    if obj is None:
        raise Http404
    if request.method == "POST":
        try:
            _j, _a, creada = servicio.asistencia_qr_registrar(
                token=token, usuario=request.user
            )
        except ValidationError as exc:
            return render(
                request,
                "cursos/jornadas/asistir.html",
                {"jornada": obj, "rechazo": " ".join(exc.messages)},
                status=403,
            )
        texto = (
            _("Asistencia registrada. ¡Gracias por participar!")
            if creada
            else _("Su asistencia ya estaba registrada.")
        )
        messages.success(request, texto)
        return redirect("cursos:asistir", token=token)
    ya = obj.asistencias.filter(usuario=request.user).exists()
    return render(
        request,
        "cursos/jornadas/asistir.html",
        {"jornada": obj, "ya_registrada": ya, "abierta": obj.abierta(timezone.now())},
    )
