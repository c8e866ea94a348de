"""Datos de prueba de cursos. Todo se crea en el schema activo: use self.en_a().

Lo que una persona crea en una pantalla, las fábricas lo crean por el mismo camino
que esa pantalla, nunca con ``Model.objects.create``: así un dato de prueba no puede
quedar en un estado que el producto no permite.

- Institución y unidad: el formulario del admin de Wagtail (su ``SnippetViewSet``),
  con sus validaciones.
- Perfil (la persona en la nómina o en su pantalla de perfil):
  ``cursos.services.perfiles.perfil_actualizar``.
- Inscripción: ``cursos.services.inscripcion_crear``.
- Jornada: ``cursos.services.jornadas.jornada_guardar`` (la pantalla de jornadas).
- Dotación: use ``cursos.services.nomina.dotacion_guardar``, el de su pantalla.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from factory.django import DjangoModelFactory, Password

from cursos.models import (
    CursoPage,
    Inscripcion,
    Institucion,
    Jornada,
    LeccionPage,
    Perfil,
    RutaPage,
    Unidad,
)
from cursos.services import inscripcion_crear
from cursos.services.jornadas import jornada_guardar
from cursos.services.perfiles import perfil_actualizar
from lib.rut import dv_calcular
from tests.base import CLAVE


def rut_valido(cuerpo: int) -> str:
    """RUT normalizado («12345678-5») con su dígito verificador correcto."""
    return f"{cuerpo}-{dv_calcular(str(cuerpo))}"


class UsuarioFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = factory.Sequence(lambda n: f"Nombre{n}")
    last_name = "Prueba"
    password = Password(CLAVE)


def por_pantalla(model_class, **campos):
    """Crea con el formulario de la pantalla del admin de Wagtail del modelo.

    Un campo que la pantalla no tiene es un error (TypeError), no se ignora: la
    fábrica no puede dar a un objeto un valor que nadie puede darle.
    """
    form_class = model_class.snippet_viewset.get_form_class()
    sobran = set(campos) - set(form_class.base_fields)
    if sobran:
        raise TypeError(
            f"La pantalla de {model_class.__name__} no tiene {sorted(sobran)}"
        )
    datos = {
        campo: valor.pk if isinstance(valor, models.Model) else valor
        for campo, valor in campos.items()
    }
    form = form_class(data=datos)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form.save()


class PantallaFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return por_pantalla(model_class, **kwargs)


class InstitucionFactory(PantallaFactory):
    class Meta:
        model = Institucion

    nombre = factory.Sequence(lambda n: f"Institución {n}")
    sigla = factory.Sequence(lambda n: f"INS{n}")


class UnidadFactory(PantallaFactory):
    class Meta:
        model = Unidad

    institucion = factory.SubFactory(InstitucionFactory)
    nombre = factory.Sequence(lambda n: f"Unidad {n}")


class PerfilFactory(DjangoModelFactory):
    """La persona con su perfil, por el servicio de la pantalla de perfil (el mismo
    que usan SCIM y la ficha de la persona)."""

    class Meta:
        model = Perfil

    usuario = factory.SubFactory(UsuarioFactory)
    rut = factory.Sequence(lambda n: rut_valido(15_000_000 + n))
    unidad = factory.SubFactory(UnidadFactory)
    institucion = factory.LazyAttribute(
        lambda o: o.unidad.institucion if o.unidad is not None else None
    )

    @classmethod
    def _create(cls, model_class, *args, usuario, **kwargs):
        region = kwargs.pop("region", None)
        unidad = kwargs.get("unidad")
        if region is None:
            region = unidad.region if unidad is not None else ""
        return perfil_actualizar(
            usuario=usuario,
            first_name=usuario.first_name,
            last_name=usuario.last_name,
            region=region,
            **kwargs,
        )


def rut_registrar(usuario, rut: str) -> Perfil:
    """La persona registra su RUT en «Mi perfil» (el mismo servicio de esa
    pantalla); el resto de su perfil queda como estaba."""
    perfil = Perfil.objects.filter(usuario=usuario).first()
    return perfil_actualizar(
        usuario=usuario,
        first_name=usuario.first_name,
        last_name=usuario.last_name,
        rut=rut,
        sexo=perfil.sexo if perfil else "",
        institucion=perfil.institucion if perfil else None,
        unidad=perfil.unidad if perfil else None,
        cargo=perfil.cargo if perfil else "",
        region=perfil.region if perfil else "",
    )


def jornada_crear(*, creada_por=None, **campos) -> Jornada:
    """Una jornada como la registra la encargada en /encargado/jornadas/."""
    return jornada_guardar(jornada=Jornada(**campos), creada_por=creada_por)


class InscripcionFactory(DjangoModelFactory):
    """Inscripción por el servicio de la pantalla del curso o de la encargada."""

    class Meta:
        model = Inscripcion

    usuario = factory.SubFactory(UsuarioFactory)
    curso = factory.LazyFunction(lambda: curso_por_clave("que-es-la-trata"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        inscripcion, _creada = inscripcion_crear(**kwargs)
        return inscripcion


def curso_por_clave(clave: str) -> CursoPage:
    """El curso del currículo por su clave estable: el ``slug`` del YAML
    (cursos/curriculo/*.yaml), que el cargador guarda en ``clave_curriculo``. No cambia
    si un editor renombra la URL de la página en el admin."""
    return CursoPage.objects.get(clave_curriculo=clave)


def ruta_por_clave(clave: str) -> RutaPage:
    return RutaPage.objects.get(clave_curriculo=clave)


def lecciones_de(curso: CursoPage) -> list[LeccionPage]:
    return list(LeccionPage.objects.live().child_of(curso).order_by("path"))


def leccion_agregar(curso: CursoPage, *, obligatoria: bool = True, **campos):
    """Agrega al final del curso una lección publicada."""
    campos.setdefault("title", f"Lección extra {curso.get_children_count() + 1}")
    campos.setdefault("slug", f"extra-{curso.get_children_count() + 1}")
    campos.setdefault("minutos", 5)
    leccion = curso.add_child(instance=LeccionPage(obligatoria=obligatoria, **campos))
    leccion.save_revision().publish()
    return leccion


def curso_completar(usuario, curso: CursoPage) -> Inscripcion:
    """Inscribe y deja completado el curso, sin pasar por las vistas.

    Completa las lecciones y aprueba la evaluación final con un intento calificado
    por los servicios: la regla de completitud exige ambas cosas.
    """
    from demo.evaluaciones import curso_demo_aprobar

    return curso_demo_aprobar(usuario=usuario, curso=curso)
