"""Vistas de la encargada o encargado de capacitación del tenant.

Todas exigen el rol ENCARGADO: sin sesión se redirige al ingreso y con otro rol se
responde 403. Ninguna muestra RUT: las personas se identifican por nombre y usuario.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenants.roles import Rol, nombre_visible, rol_requerido

from ..forms import EncargadoInscripcionForm, FiltroUnidadForm
from ..models import CursoPage, Inscripcion
from ..primeros_pasos import primeros_pasos
from ..selectors import avances
from ..services import inscripcion_crear, inscripciones_crear_por_unidad


@rol_requerido(Rol.ENCARGADO)
def panel(request):
    # Personas distintas (no inscripciones): una persona puede tener varios ciclos.
    cursos = (
        CursoPage.objects.live()
        .annotate(
            n_inscritos=Count("inscripciones__usuario", distinct=True),
            n_completados=Count(
                "inscripciones__usuario",
                filter=Q(inscripciones__completado_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("path")
    )
    pasos = primeros_pasos()
    return render(
        request,
        "cursos/encargado/panel.html",
        {
            "cursos": cursos,
            "es_encargado": True,
            "pasos": pasos,
            "pasos_pendientes": any(not p.hecho for p in pasos),
        },
    )


def _resumen_unidad(request, *, unidad, curso, resultado) -> None:
    partes = [
        ngettext(
            "%(n)d persona inscrita", "%(n)d personas inscritas", resultado.creadas
        )
        % {"n": resultado.creadas},
        ngettext(
            "%(n)d ya estaba inscrita",
            "%(n)d ya estaban inscritas",
            resultado.existentes,
        )
        % {"n": resultado.existentes},
        ngettext(
            "%(n)d no cumple los requisitos",
            "%(n)d no cumplen los requisitos",
            len(resultado.rechazadas),
        )
        % {"n": len(resultado.rechazadas)},
    ]
    messages.success(
        request,
        _("Unidad «%(unidad)s» en «%(curso)s»: %(resumen)s.")
        % {"unidad": unidad, "curso": curso.title, "resumen": ", ".join(partes)},
    )
    for nombre, motivo in resultado.rechazadas:
        messages.warning(
            request,
            _("No se inscribió a %(nombre)s: %(motivo)s")
            % {"nombre": nombre, "motivo": motivo},
        )


def _inscribir_persona(request, form, *, usuario, curso, plazo) -> bool:
    """Inscribe a una persona; devuelve False si el servicio la rechazó."""
    try:
        _inscripcion, creada = inscripcion_crear(
            usuario=usuario, curso=curso, inscrito_por=request.user, plazo=plazo
        )
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return False
    if creada:
        texto = _("Se inscribió a %(nombre)s en «%(curso)s».")
    else:
        texto = _("%(nombre)s ya estaba inscrita o inscrito en «%(curso)s».")
    messages.success(
        request, texto % {"nombre": nombre_visible(usuario), "curso": curso.title}
    )
    return True


@rol_requerido(Rol.ENCARGADO)
def inscribir(request):
    if request.method == "POST":
        form = EncargadoInscripcionForm(request.POST)
    else:
        form = EncargadoInscripcionForm(initial={"curso": request.GET.get("curso")})
    if request.method == "POST" and form.is_valid():
        curso = form.cleaned_data["curso"]
        unidad = form.cleaned_data["unidad"]
        plazo = form.cleaned_data["plazo"]
        if unidad is not None:
            resultado = inscripciones_crear_por_unidad(
                unidad=unidad, curso=curso, inscrito_por=request.user, plazo=plazo
            )
            _resumen_unidad(request, unidad=unidad, curso=curso, resultado=resultado)
            hecho = True
        else:
            hecho = _inscribir_persona(
                request,
                form,
                usuario=form.cleaned_data["usuario"],
                curso=curso,
                plazo=plazo,
            )
        if hecho:
            url = reverse("cursos:encargado_inscribir")
            return redirect(f"{url}?curso={curso.pk}")
    return render(
        request,
        "cursos/encargado/inscribir.html",
        {"form": form, "es_encargado": True},
    )


def _unidad(avance):
    perfil = getattr(avance.inscripcion.usuario, "perfil", None)
    return perfil.unidad if perfil is not None else None


@rol_requerido(Rol.ENCARGADO)
def curso_avance(request, curso_id: int):
    curso = get_object_or_404(CursoPage.objects.live(), pk=curso_id)
    filtro = FiltroUnidadForm(request.GET or None)
    unidad = filtro.cleaned_data["unidad"] if filtro.is_valid() else None
    # DISTINCT ON deja solo el ciclo más reciente de cada persona.
    inscripciones = (
        Inscripcion.objects.filter(curso=curso)
        .select_related("curso", "usuario", "usuario__perfil__unidad__institucion")
        .order_by("usuario_id", "-ciclo")
        .distinct("usuario_id")
    )
    if unidad is not None:
        inscripciones = inscripciones.filter(usuario__perfil__unidad=unidad)
    filas = [
        {
            "avance": a,
            "nombre": nombre_visible(a.inscripcion.usuario),
            "unidad": _unidad(a),
        }
        for a in avances(inscripciones)
    ]
    filas.sort(key=lambda f: (f["nombre"].lower(), f["avance"].inscripcion.usuario_id))
    completados = sum(
        1 for f in filas if f["avance"].inscripcion.completado_at is not None
    )
    return render(
        request,
        "cursos/encargado/curso.html",
        {
            "curso": curso,
            "filas": filas,
            "filtro": filtro,
            "unidad": unidad,
            "completados": completados,
            "es_encargado": True,
        },
    )
