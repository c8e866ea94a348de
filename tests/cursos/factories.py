"""Datos de prueba de cursos. Todo se crea en el schema activo: use self.en_a()."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from cursos.models import (
    CursoPage,
    Inscripcion,
    Institucion,
    LeccionPage,
    Perfil,
    RutaPage,
    Unidad,
)
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


class InstitucionFactory(DjangoModelFactory):
    class Meta:
        model = Institucion

    nombre = factory.Sequence(lambda n: f"Institución {n}")
    sigla = factory.Sequence(lambda n: f"INS{n}")


class UnidadFactory(DjangoModelFactory):
    class Meta:
        model = Unidad

    institucion = factory.SubFactory(InstitucionFactory)
    nombre = factory.Sequence(lambda n: f"Unidad {n}")


class PerfilFactory(DjangoModelFactory):
    class Meta:
        model = Perfil

    usuario = factory.SubFactory(UsuarioFactory)
    rut = factory.Sequence(lambda n: rut_valido(15_000_000 + n))
    unidad = factory.SubFactory(UnidadFactory)
    institucion = factory.SelfAttribute("unidad.institucion")


class InscripcionFactory(DjangoModelFactory):
    class Meta:
        model = Inscripcion

    usuario = factory.SubFactory(UsuarioFactory)
    curso = factory.LazyFunction(lambda: curso_por_clave("que-es-la-trata"))


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
