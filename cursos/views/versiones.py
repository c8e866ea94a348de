"""Versiones de un curso (issue 16): publicar en el admin y actualizar a las personas.

- En el admin de Wagtail, la editora publica una versión desde la página del curso
  (botón «Versiones» de la cabecera): resumen de cambios, mayor o menor y qué exige.
- En el área de la encargada, quién está «capacitado en versión anterior» por unidad,
  y una acción que asigna la actualización a todos ellos con plazo.

Ninguna muestra RUT: las personas se identifican por nombre.
"""

from __future__ import annotations

from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.roles import Rol, nombre_visible, rol_requerido

from ..forms import UnidadChoiceField
from ..models import CursoPage, VersionCurso
from ..selectors import desactualizados
from ..services.versiones import (
    actualizacion_asignar,
    version_publicar,
    version_vigente,
)

# ---------------------------------------------------------------- admin de Wagtail


class VersionForm(forms.Form):
    tipo = forms.ChoiceField(
        label=gettext_lazy("Tipo de versión"),
        choices=VersionCurso.Tipo.choices,
        widget=forms.RadioSelect,
        initial=VersionCurso.Tipo.MAYOR,
    )
    resumen = forms.CharField(
        label=gettext_lazy("Resumen de cambios"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    requiere = forms.ChoiceField(
        label=gettext_lazy("Para ponerse al día, la persona debe hacer"),
        choices=VersionCurso.Requiere.choices,
        widget=forms.RadioSelect,
        initial=VersionCurso.Requiere.COMPLETO,
    )
    curso_actualizacion = forms.ModelChoiceField(
        label=gettext_lazy("Curso de actualización"),
        queryset=CursoPage.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Un curso corto con solo lo que cambió. Déjelo vacío si se exige el "
            "curso completo."
        ),
    )

    def __init__(self, *args, curso: CursoPage, **kwargs):
        super().__init__(*args, **kwargs)
        campo = self.fields["curso_actualizacion"]
        campo.queryset = CursoPage.objects.exclude(pk=curso.pk).order_by("title")  # type: ignore[attr-defined]


def _puede_publicar_version(user, curso: CursoPage) -> bool:
    """Editoras y moderadoras del tenant: quien puede publicar la página del curso."""
    return curso.permissions_for_user(user).can_publish()


def admin_versiones(request, curso_id: int):
    curso = get_object_or_404(CursoPage, pk=curso_id)
    if not _puede_publicar_version(request.user, curso):
        raise PermissionDenied
    form = VersionForm(request.POST or None, curso=curso)
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        try:
            version = version_publicar(
                curso=curso,
                tipo=datos["tipo"],
                resumen=datos["resumen"],
                requiere=datos["requiere"],
                curso_actualizacion=datos["curso_actualizacion"],
                publicada_por=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Se publicó la versión %(v)s de «%(curso)s».")
                % {"v": version.etiqueta, "curso": curso.title},
            )
            return redirect("cursos_versiones", curso_id=curso.pk)
    versiones = list(
        VersionCurso.objects.filter(curso=curso)
        .select_related("curso_actualizacion", "publicada_por")
        .order_by("-numero", "-menor")
    )
    return render(
        request,
        "cursos/versiones/admin.html",
        {
            "curso": curso,
            "form": form,
            "versiones": versiones,
            "vigente": versiones[0] if versiones else None,
        },
    )


# ------------------------------------------------------------------- encargada


class AsignarActualizacionForm(forms.Form):
    plazo = forms.DateField(
        label=gettext_lazy("Plazo para completar la actualización"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unidad = UnidadChoiceField(
        label=gettext_lazy("Solo la unidad"),
        required=False,
        empty_label=gettext_lazy("Todas las unidades"),
    )

    def clean_plazo(self):
        plazo = self.cleaned_data["plazo"]
        if plazo < timezone.localdate():
            raise ValidationError(_("El plazo no puede ser una fecha pasada."))
        return plazo


def _cursos_con_version_nueva() -> list[VersionCurso]:
    """La versión vigente de cada curso publicado que ya tuvo una versión mayor
    posterior a la primera (los únicos con personas en versión anterior)."""
    vigentes = []
    for curso in CursoPage.objects.live().filter(versiones__numero__gt=1).distinct():
        version = version_vigente(curso)
        if version is not None:
            vigentes.append(_mayor_vigente(version))
    return sorted(vigentes, key=lambda v: v.curso.title)


def _mayor_vigente(version: VersionCurso) -> VersionCurso:
    """La versión mayor de la que cuelga la vigente (la 2.0 si la vigente es 2.1)."""
    if version.tipo == VersionCurso.Tipo.MAYOR:
        return version
    return (
        VersionCurso.objects.filter(
            curso_id=version.curso_id, numero=version.numero, tipo="mayor"
        )
        .select_related("curso", "curso_actualizacion")
        .order_by("-menor")
        .first()
        or version
    )


@rol_requerido(Rol.ENCARGADO)
def encargado_versiones(request):
    filas = [
        {"version": v, "desactualizadas": len(desactualizados(version=v))}
        for v in _cursos_con_version_nueva()
    ]
    return render(
        request,
        "cursos/versiones/encargado.html",
        {"filas": filas, "es_encargado": True},
    )


def _por_unidad(personas) -> OrderedDict:
    grupos: OrderedDict = OrderedDict()
    for persona in personas:
        clave = persona.unidad.nombre if persona.unidad else _("Sin unidad")
        grupos.setdefault(clave, []).append(
            {"persona": persona, "nombre": nombre_visible(persona.usuario)}
        )
    return grupos


@rol_requerido(Rol.ENCARGADO)
def encargado_version_curso(request, curso_id: int):
    curso = get_object_or_404(CursoPage.objects.live(), pk=curso_id)
    vigente = version_vigente(curso)
    version = _mayor_vigente(vigente) if vigente is not None else None
    personas = desactualizados(version=version) if version is not None else []
    form = AsignarActualizacionForm(request.POST or None)
    if request.method == "POST" and personas and form.is_valid():
        unidad = form.cleaned_data["unidad"]
        elegidas = [
            p.usuario
            for p in personas
            if unidad is None or (p.unidad is not None and p.unidad.pk == unidad.pk)
        ]
        try:
            resultado = actualizacion_asignar(
                version=version,
                usuarios=elegidas,
                plazo=form.cleaned_data["plazo"],
                asignada_por=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Actualización asignada a %(n)d personas (%(m)d ya la tenían), "
                    "con plazo hasta el %(plazo)s."
                )
                % {
                    "n": resultado.asignadas,
                    "m": resultado.ya_asignadas,
                    "plazo": form.cleaned_data["plazo"].strftime("%d-%m-%Y"),
                },
            )
            for nombre, motivo in resultado.rechazadas:
                messages.warning(request, f"{nombre}: {motivo}")
            return redirect(reverse("cursos:encargado_version_curso", args=[curso.pk]))
    return render(
        request,
        "cursos/versiones/curso.html",
        {
            "curso": curso,
            "version": version,
            "destino": version.destino_actualizacion if personas else None,
            "grupos": _por_unidad(personas),
            "total": len(personas),
            "form": form,
            "es_encargado": True,
        },
    )
