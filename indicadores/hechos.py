"""Escritura de hechos nacionales y de la dotación pública desde el schema del tenant.

Cada completitud de curso y cada asistencia escribe un ``Hecho`` en el schema public
**en la misma transacción** que el evento (DESIGN.md §3): se usa la misma conexión y
solo se cambia el ``search_path`` con ``schema_context("public")``. Si el evento se
revierte, el hecho también.

La persona se identifica con ``persona_clave``: HMAC-SHA256 del RUT normalizado con el
secreto ``INDICADORES_CLAVE_PERSONA``. Así una persona cuenta una vez aunque se capacite
en varios cursos o tenants, y la tabla pública no guarda RUT ni nombre. Quien no tiene
RUT registrado recibe una clave derivada de su cuenta en el tenant: cuenta una vez en
ese tenant, pero no se puede cruzar con otros.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from lib.rut import rut_normalizar
from tenants.models import Tenant
from tenants.selectors import tenant_actual

from .models import DotacionNacional, Hecho, ModalidadHecho, VersionNacional


def persona_clave(*, rut: str | None, schema_name: str, usuario_id: int) -> str:
    secreto = settings.INDICADORES_CLAVE_PERSONA.encode()
    if rut:
        mensaje = "rut:" + rut_normalizar(rut)
    else:
        mensaje = f"cuenta:{schema_name}:{usuario_id}"
    return hmac.new(secreto, mensaje.encode(), hashlib.sha256).hexdigest()


def _perfil_datos(usuario, schema: str, tenant: Tenant) -> dict:
    """Institución, unidad, región y sexo de la persona, leídos en su tenant.

    La unidad es la de la persona **al momento** del hecho (se copia al hecho): si
    después cambia de unidad, lo ya contado no se mueve. Un sexo en blanco queda en
    blanco («No informado»); «Prefiere no informar» es una respuesta de la persona.
    """
    from cursos.models import Perfil

    perfil = (
        Perfil.objects.select_related("unidad__institucion", "institucion")
        .filter(usuario_id=usuario.pk)
        .first()
    )
    unidad = perfil.unidad if perfil else None
    institucion = (perfil.institucion if perfil else None) or (
        unidad.institucion if unidad else None
    )
    return {
        "persona": persona_clave(
            rut=perfil.rut if perfil else None,
            schema_name=schema,
            usuario_id=usuario.pk,
        ),
        "institucion": institucion.nombre if institucion else tenant.nombre,
        "institucion_ref": f"{schema}:{institucion.pk if institucion else ''}",
        "catalogo_id": institucion.catalogo_id if institucion else None,
        "unidad": unidad.nombre if unidad else "",
        "unidad_ref": f"{schema}:{unidad.pk}" if unidad else "",
        "es_complejo": unidad is not None and tenant.grupo == Tenant.Grupo.FRONTERAS,
        "region": (unidad.region if unidad else "")
        or (perfil.region if perfil else ""),
        "sexo": (perfil.sexo if perfil else "") or "",
    }


def _hecho_guardar(*, tenant: Tenant, tipo: str, origen_id: int, datos: dict) -> Hecho:
    with schema_context(get_public_schema_name()):
        hecho, _creado = Hecho.objects.get_or_create(
            tenant_id=tenant.pk, tipo=tipo, origen_id=origen_id, defaults=datos
        )
    return hecho


def hecho_curso_registrar(*, inscripcion) -> Hecho:
    """El hecho de una completitud. Llamar dentro de la transacción que la registra."""
    tenant = tenant_actual()
    schema = tenant.schema_name
    curso = inscripcion.curso
    fecha = timezone.localdate(inscripcion.completado_at)
    datos = _perfil_datos(inscripcion.usuario, schema, tenant)
    datos.update(
        fecha=fecha,
        modalidad=ModalidadHecho.AUTOINSTRUCCIONAL,
        # Un curso cuenta como una capacitación por año en que alguien lo completa.
        actividad_ref=f"curso:{schema}:{curso.pk}:{fecha.year}",
        actividad=curso.title[:255],
        # Cursos pertinentes: condición necesaria, nunca suficiente (services).
        acciones=sorted({a.strip().upper() for a in curso.acciones_plan or []}),
        **_version_datos(inscripcion, schema),
    )
    return _hecho_guardar(
        tenant=tenant, tipo=Hecho.Tipo.CURSO, origen_id=inscripcion.pk, datos=datos
    )


def _version_datos(inscripcion, schema: str) -> dict:
    """La versión de la completitud (la guarda cursos al completar) y su curso."""
    version = inscripcion.version
    if version is None:
        return {
            "version": inscripcion.curso.version,
            "version_mayor": None,
            "curso_ref": f"{schema}:{inscripcion.curso_id}",
        }
    return {
        "version": version.etiqueta,
        "version_mayor": version.numero,
        "curso_ref": f"{schema}:{version.curso_id}",
    }


def version_nacional_publicar(*, version) -> None:
    """Publica en el schema public la versión mayor vigente de un curso (misma
    transacción que la publicación). Una versión menor no cambia quién está al día."""
    if version.tipo != "mayor":
        return
    tenant = tenant_actual()
    schema = tenant.schema_name
    with schema_context(get_public_schema_name()):
        VersionNacional.objects.update_or_create(
            curso_ref=f"{schema}:{version.curso_id}",
            defaults={
                "tenant_id": tenant.pk,
                "curso": version.curso.title[:255],
                "numero": version.numero,
                "version": version.etiqueta,
                "publicada_el": timezone.localdate(version.publicada_at),
            },
        )


def hecho_asistencia_registrar(*, asistencia) -> Hecho:
    """El hecho de una asistencia. Llamar dentro de la transacción que la registra."""
    tenant = tenant_actual()
    schema = tenant.schema_name
    jornada = asistencia.jornada
    datos = _perfil_datos(asistencia.usuario, schema, tenant)
    # Las acciones que la jornada declara (elegidas del plan) o, si no declara
    # ninguna, aquellas para las que su curso vinculado es pertinente. Es condición
    # necesaria, no suficiente: la atribución exige además destinatario y modalidad.
    codigos = jornada.acciones_plan or []
    if not codigos and jornada.curso_id:
        codigos = jornada.curso.acciones_plan or []
    acciones = sorted({a.strip().upper() for a in codigos if a.strip()})
    datos.update(
        fecha=timezone.localdate(jornada.inicio),
        modalidad=(
            ModalidadHecho.EN_LINEA
            if jornada.modalidad == "online"
            else ModalidadHecho.PRESENCIAL
        ),
        actividad_ref=f"jornada:{schema}:{jornada.pk}",
        actividad=jornada.titulo[:255],
        acciones=acciones,
    )
    # La región de una jornada es donde se dictó; si no se indicó, la de la unidad.
    if jornada.region:
        datos["region"] = jornada.region
    return _hecho_guardar(
        tenant=tenant,
        tipo=Hecho.Tipo.JORNADA,
        origen_id=asistencia.pk,
        datos=datos,
    )


def dotacion_publicar(*, dotacion) -> None:
    """Copia la dotación de una unidad al schema public, en la misma transacción."""
    tenant = tenant_actual()
    schema = tenant.schema_name
    unidad = dotacion.unidad
    institucion = unidad.institucion
    with schema_context(get_public_schema_name()):
        DotacionNacional.objects.update_or_create(
            tenant_id=tenant.pk,
            unidad_id_tenant=unidad.pk,
            anio=dotacion.anio,
            defaults={
                "unidad_ref": f"{schema}:{unidad.pk}",
                "unidad": unidad.nombre,
                "institucion": institucion.nombre,
                "institucion_ref": f"{schema}:{institucion.pk}",
                "catalogo_id": institucion.catalogo_id,
                "region": unidad.region,
                "total": dotacion.total,
                "femenino": dotacion.femenino,
                "masculino": dotacion.masculino,
            },
        )


def hecho_curso_retirar(*, inscripcion_id: int) -> int:
    """Retira el hecho de una completitud cuyo certificado se revocó.

    Llamar dentro de la transacción que revoca, con el schema del tenant activo (las
    dos vías de revocación lo dejan así). Desde ese momento la persona deja de contar
    por esa completitud en la unidad, el tenant y el país; sus otros hechos siguen.
    El vencimiento no llama aquí: vencer no borra la capacitación de un año.
    Devuelve cuántos hechos retiró (0 o 1).
    """
    schema = connection.schema_name
    with schema_context(get_public_schema_name()):
        retirados, _detalle = Hecho.objects.filter(
            tenant__schema_name=schema,
            tipo=Hecho.Tipo.CURSO,
            origen_id=inscripcion_id,
        ).delete()
    return retirados


def hechos_catalogo_actualizar(*, institucion) -> int:
    """Vincula al catálogo los hechos y dotaciones ya escritos de una institución.

    Se llama cuando una institución del tenant se vincula (o cambia) de entrada del
    catálogo: lo ya contado pasa a contar para esa institución nacional.
    """
    tenant = tenant_actual()
    ref = f"{tenant.schema_name}:{institucion.pk}"
    with schema_context(get_public_schema_name()):
        n = Hecho.objects.filter(tenant_id=tenant.pk, institucion_ref=ref).update(
            catalogo_id=institucion.catalogo_id
        )
        DotacionNacional.objects.filter(
            tenant_id=tenant.pk, institucion_ref=ref
        ).update(catalogo_id=institucion.catalogo_id)
    return n


def hechos_persona_desvincular(*, claves: list[str]) -> int:
    """Reemplaza cada clave seudónima por una clave nueva al azar (Ley 21.719).

    Para la anonimización de una persona: sus hechos siguen contando (las cifras del
    tablero no cambian), pero ya no se pueden vincular a ella, porque la nueva clave no
    se deriva de nada. Cada clave antigua recibe **su** clave nueva, así que
    ``COUNT(DISTINCT persona)`` da lo mismo en cualquier corte (año, tenant, unidad,
    acción). Cambia los hechos de esa clave en todos los tenants: la clave de un RUT es
    la misma en cada uno. Devuelve cuántos hechos cambiaron.
    """
    cambiados = 0
    with schema_context(get_public_schema_name()):
        for clave in {c for c in claves if c}:
            cambiados += Hecho.objects.filter(persona=clave).update(
                persona=secrets.token_hex(32)
            )
    return cambiados


def claves_de_persona(
    *, tenant_id: int, inscripcion_ids: list[int], asistencia_ids: list[int]
) -> set[str]:
    """Las claves seudónimas con que quedaron los hechos de estas inscripciones y
    asistencias. Sirve cuando el RUT cambió después de un hecho (rectificación): la
    clave de hoy ya no es la de entonces."""
    with schema_context(get_public_schema_name()):
        claves = Hecho.objects.filter(tenant_id=tenant_id).filter(
            Q(tipo=Hecho.Tipo.CURSO, origen_id__in=inscripcion_ids)
            | Q(tipo=Hecho.Tipo.JORNADA, origen_id__in=asistencia_ids)
        )
        return set(claves.values_list("persona", flat=True))
