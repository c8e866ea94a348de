"""Un curso con dos versiones en la demo (issue 16), por los servicios de las pantallas.

En el tenant de demo, el curso del protocolo intersectorial tiene la versión 1 (la del
currículo) y la 2, que publica «editor» como lo haría en el admin. Quienes lo
completaron antes quedan «capacitados en versión anterior»; «encargado» asigna la
actualización a la unidad de «funcionario» con plazo y una persona de esa unidad ya la
completó: vuelve a estar al día.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificados.services import certificado_emitir
from cursos.models import CursoPage, Perfil, VersionCurso
from cursos.selectors import desactualizados
from cursos.services.versiones import (
    actualizacion_asignar,
    version_publicar,
    version_vigente,
)

CURSO_VERSIONES = "protocolo-intersectorial"
RESUMEN_V2 = (
    "La Ley 21.325 de Migración y Extranjería reemplazó al Departamento de Extranjería "
    "y Migración (DEM) por el Servicio Nacional de Migraciones (SERMIG): cambian la "
    "derivación y los contactos del protocolo."
)


def _completar(usuario, curso: CursoPage) -> None:
    from demo.evaluaciones import curso_demo_aprobar

    for requerido in curso.prerrequisitos.all():
        _completar(usuario, requerido)
    inscripcion = curso_demo_aprobar(usuario=usuario, curso=curso)
    if inscripcion.completado_at is not None:
        certificado_emitir(inscripcion_id=inscripcion.pk)


def versiones_demo_asegurar(
    *,
    editor: str = "editor",
    encargado: str = "encargado",
    funcionario: str = "funcionario",
) -> VersionCurso | None:
    """Publica la v2 del curso del protocolo y asigna su actualización. Idempotente:
    si el curso ya tiene una versión mayor 2, no hace nada. Los argumentos son los
    usuarios de demo que actúan (la editora, la encargada y la funcionaria)."""
    User = get_user_model()
    curso = CursoPage.objects.live().filter(clave_curriculo=CURSO_VERSIONES).first()
    editor = User.objects.filter(username=editor).first()
    encargado = User.objects.filter(username=encargado).first()
    funcionario = User.objects.filter(username=funcionario).first()
    if None in (curso, editor, encargado, funcionario):
        return None
    vigente = version_vigente(curso)
    if vigente is not None and vigente.numero >= 2:
        return vigente
    # Antes de la v2: «funcionario» y tres personas de su unidad se capacitaron en v1.
    unidad_id = (
        Perfil.objects.filter(usuario=funcionario).values_list("unidad_id", flat=True)
    ).first()
    companeras = [
        p.usuario
        for p in Perfil.objects.filter(unidad_id=unidad_id, usuario__is_active=True)
        .exclude(usuario=funcionario)
        .select_related("usuario")
        .order_by("pk")[:3]
    ]
    for persona in [funcionario, *companeras]:
        _completar(persona, curso)
    version = version_publicar(
        curso=curso,
        tipo=VersionCurso.Tipo.MAYOR,
        resumen=RESUMEN_V2,
        publicada_por=editor,
    )
    atrasadas = [
        d.usuario
        for d in desactualizados(version=version)
        if d.unidad is not None and d.unidad.pk == unidad_id
    ]
    actualizacion_asignar(
        version=version,
        usuarios=atrasadas,
        plazo=timezone.localdate() + dt.timedelta(days=45),
        asignada_por=encargado,
    )
    # Una compañera ya se puso al día (ciclo 2, versión 2); las demás siguen atrás.
    if companeras:
        _completar(companeras[0], curso)
    return version
