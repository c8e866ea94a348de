"""Una persona con cada tipo de dato que guarda un tenant, creado por los servicios."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from avisos.models import Aviso, Categoria
from content.h5p import actividad_iri, paquete_crear, resultado_registrar
from cursos.models import Jornada, Perfil
from cursos.services.jornadas import asistencia_registrar, jornada_guardar
from cursos.services.perfiles import perfil_actualizar
from cursos.services.roles import roles_cambiar
from tenants.roles import Rol
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import (
    curso_completar,
    curso_por_clave,
    leccion_agregar,
    rut_valido,
)

RUT = rut_valido(16_543_219)
NOMBRES = "Zenobia"
APELLIDOS = "Quintanilla-Urrutia"
CORREO = "zenobia.quintanilla@ejemplo-privado.cl"


def persona_poblar(usuario, *, encargada, unidad=None, rut: str = RUT) -> dict:
    """Deja en el schema activo perfil, inscripción, lecciones, intento, resultado
    H5P, certificado (si se ejecutan los on_commit), asistencia, aviso y una entrada
    de bitácora sobre la persona. Devuelve los objetos creados."""
    usuario.email = CORREO
    usuario.save(update_fields=["email"])
    perfil_actualizar(
        usuario=usuario,
        first_name=NOMBRES,
        last_name=APELLIDOS,
        rut=rut,
        sexo="femenino",
        cargo="Inspectora",
        region="metropolitana",
        unidad=unidad,
    )
    curso = curso_por_clave("que-es-la-trata")
    inscripcion = curso_completar(usuario, curso)
    paquete = paquete_crear(titulo="Caso H5P", archivo=pq.demo_archivo())
    leccion = leccion_agregar(
        curso,
        title="Lección con H5P",
        slug="leccion-h5p-privacidad",
        obligatoria=False,
        cuerpo=[pq.bloque_h5p(paquete, obligatoria=False)],
    )
    resultado_registrar(
        usuario=usuario,
        paquete=paquete,
        leccion=leccion,
        declaracion={
            "actor": {"name": f"{NOMBRES} {APELLIDOS}", "mbox": f"mailto:{CORREO}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": actividad_iri(leccion, paquete.pk)},
            "result": {
                "score": {"min": 0, "max": 1, "raw": 1, "scaled": 1.0},
                "success": True,
                "response": "false",
            },
        },
    )
    inicio = timezone.now() - dt.timedelta(days=3)
    jornada = jornada_guardar(
        jornada=Jornada(
            tema="Jornada de privacidad",
            inicio=inicio,
            fin=inicio + dt.timedelta(hours=2),
        ),
        creada_por=encargada,
    )
    asistencia_registrar(
        jornada=jornada, usuario=usuario, origen="planilla", registrada_por=encargada
    )
    # avisos.services lo construye otra rama: el aviso se crea como lo dejaría ella.
    Aviso.objects.create(
        usuario=usuario,
        categoria=Categoria.INSCRIPCION,
        clave=f"inscripcion:{inscripcion.pk}",
        titulo="Se le asignó el curso ¿Qué es la trata?",
    )
    roles_cambiar(actor=encargada, usuario=usuario, roles={Rol.FUNCIONARIO})
    return {
        "inscripcion": inscripcion,
        "jornada": jornada,
        "perfil": Perfil.objects.get(usuario=usuario),
    }
