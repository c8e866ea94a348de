"""Prepara datos y lee el estado en la base privada de una prueba de fallas.

Corre como subproceso (``python -m tests.fallas.ayudante <orden> ...``) con la
DATABASE_URL privada; imprime una línea JSON. Todo ocurre en el schema alfa.
"""

from __future__ import annotations

import json
import sys

import django


def _curso_con_quiz_final() -> dict:
    from django.db import transaction

    from cursos.models import CursoPage, RutaPage
    from cursos.services import inscripcion_crear
    from tenants.roles import Rol
    from tenants.services import usuario_asegurar
    from tests.evaluaciones.factories import (
        CategoriaFactory,
        banco_crear,
        evaluacion_crear,
    )

    with transaction.atomic():
        ruta = RutaPage.objects.live().first()
        curso = ruta.add_child(
            instance=CursoPage(
                title="Curso de la prueba de fallas",
                slug="curso-fallas",
                resumen="Solo una evaluación final.",
                horas=1,
            )
        )
        curso.save_revision().publish()
        categoria = CategoriaFactory(nombre="Fallas")
        banco_crear(categoria)
        evaluacion = evaluacion_crear(
            reglas=[(categoria, 4)], curso=curso, titulo="Evaluación final fallas"
        )
        usuario = usuario_asegurar(
            username="falla", password="clave-de-prueba-123", rol=Rol.FUNCIONARIO
        )
        usuario.email = "falla@example.cl"
        usuario.save(update_fields=["email"])
        inscripcion, _creada = inscripcion_crear(usuario=usuario, curso=curso)
    return {
        "usuario": "falla",
        "clave": "clave-de-prueba-123",
        "evaluacion": evaluacion.pk,
        "inscripcion": inscripcion.pk,
    }


def _respuestas(intento_id: int) -> dict:
    from evaluaciones.models import Intento
    from tests.evaluaciones.factories import formulario, respuestas_correctas

    intento = Intento.objects.get(pk=intento_id)
    return formulario(respuestas_correctas(intento))


def _completada_sin_certificado() -> dict:
    from django.utils import timezone

    from cursos.models import Inscripcion
    from cursos.services import inscripcion_crear
    from tenants.roles import Rol
    from tenants.services import usuario_asegurar
    from tests.cursos.factories import curso_por_clave

    usuario = usuario_asegurar(
        username="falla", password="clave-de-prueba-123", rol=Rol.FUNCIONARIO
    )
    usuario.email = "falla@example.cl"
    usuario.save(update_fields=["email"])
    inscripcion, _creada = inscripcion_crear(
        usuario=usuario, curso=curso_por_clave("que-es-la-trata")
    )
    # Sin pasar por la señal: la emisión la encola la prueba, por el broker.
    Inscripcion.objects.filter(pk=inscripcion.pk).update(completado_at=timezone.now())
    return {"inscripcion": inscripcion.pk}


def _estado(inscripcion_id: int) -> dict:
    from certificados.models import Certificado
    from cursos.models import Inscripcion
    from evaluaciones.models import Intento
    from verificacion.models import RegistroCertificado

    inscripcion = Inscripcion.objects.get(pk=inscripcion_id)
    certificados = Certificado.objects.filter(inscripcion=inscripcion)
    codigos = list(certificados.values_list("codigo", flat=True))
    return {
        "completada": inscripcion.completado_at is not None,
        "intentos_calificados": Intento.objects.filter(
            usuario_id=inscripcion.usuario_id, estado=Intento.Estado.CALIFICADO
        ).count(),
        "certificados": len(codigos),
        "notificados": certificados.filter(correo_enviado_at__isnull=False).count(),
        "registros": RegistroCertificado.objects.filter(codigo__in=codigos).count(),
    }


def _exportacion() -> dict:
    from indicadores.exportaciones import exportacion_ruta
    from indicadores.models import Exportacion
    from tenants.roles import Rol
    from tenants.services import usuario_asegurar

    encargada = usuario_asegurar(
        username="olga-fallas", password="clave-de-prueba-123", rol=Rol.ENCARGADO
    )
    exportacion = Exportacion.objects.create(
        schema_name="alfa",
        usuario_id=encargada.pk,
        usuario=encargada.username,
        tipo=Exportacion.Tipo.NOMINA,
        en_tarea=True,
    )
    return {"exportacion": exportacion.pk, "ruta": str(exportacion_ruta(exportacion))}


def _encolar(tarea: str, objeto_id: int) -> dict:
    from certificados.tasks import certificado_emitir_task
    from indicadores.tasks import exportacion_generar_task

    tareas = {
        "certificado": certificado_emitir_task,
        "exportacion": exportacion_generar_task,
    }
    # Dentro de schema_context: tenant-schemas-celery pone el schema en el header.
    tareas[tarea].apply_async((objeto_id,))
    return {"encolada": tarea}


def _url_curso() -> dict:
    from tests.cursos.factories import curso_por_clave

    return {"url": curso_por_clave("que-es-la-trata").url}


def main(argv: list[str]) -> dict:
    from django_tenants.utils import schema_context

    orden = argv[0]
    acciones = {
        "curso-con-quiz": _curso_con_quiz_final,
        "respuestas": _respuestas,
        "completada-sin-certificado": _completada_sin_certificado,
        "estado": _estado,
        "url-curso": _url_curso,
        "exportacion": _exportacion,
    }
    with schema_context("alfa"):
        if orden == "encolar":
            return _encolar(argv[1], int(argv[2]))
        return acciones[orden](*(int(a) for a in argv[1:]))


if __name__ == "__main__":
    django.setup()
    sys.stdout.write(json.dumps(main(sys.argv[1:])) + "\n")
