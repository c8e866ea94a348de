"""Lecturas de privacidad: todos los datos de una persona, solicitudes, retención."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from avisos.models import Aviso, PreferenciaAvisos
from certificados.models import Certificado
from content.models import RegistroAuditoria, ResultadoH5P
from cursos.models import Asistencia, Inscripcion, LeccionCompletada, Perfil
from evaluaciones.models import Intento
from tenants.roles import Rol, nombre_visible

from .models import PoliticaRetencion, SolicitudRectificacion

# Prefijo de las cuentas anonimizadas (su username): no vuelven a anonimizarse.
PREFIJO_ANONIMA = "anonimizada-"


def _fecha(valor: dt.datetime | dt.date | None) -> str | None:
    if valor is None:
        return None
    if isinstance(valor, dt.datetime):
        return timezone.localtime(valor).isoformat(timespec="seconds")
    return valor.isoformat()


def _perfil(usuario: Any) -> dict[str, Any]:
    perfil = (
        Perfil.objects.select_related("institucion", "unidad")
        .filter(usuario=usuario)
        .first()
    )
    return {
        "usuario": usuario.get_username(),
        "nombres": usuario.first_name,
        "apellidos": usuario.last_name,
        "correo": usuario.email,
        # Solo la persona lo ve (su descarga); la encargada ve la vista enmascarada.
        "rut": perfil.rut if perfil and perfil.rut else "",
        "sexo": perfil.get_sexo_display() if perfil and perfil.sexo else "",
        "institucion": str(perfil.institucion) if perfil and perfil.institucion else "",
        "unidad": perfil.unidad.nombre if perfil and perfil.unidad else "",
        "cargo": perfil.cargo if perfil else "",
        "region": perfil.get_region_display() if perfil and perfil.region else "",
        "cuenta_creada": _fecha(usuario.date_joined),
        "ultimo_ingreso": _fecha(usuario.last_login),
    }


def _inscripciones(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "curso": i.curso.title,
            "ciclo": i.ciclo,
            "inscrito_el": _fecha(i.created_at),
            "plazo": _fecha(i.plazo),
            "completado_el": _fecha(i.completado_at),
        }
        for i in Inscripcion.objects.filter(usuario=usuario)
        .select_related("curso")
        .order_by("created_at")
    ]


def _lecciones(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "curso": lc.inscripcion.curso.title,
            "leccion": lc.leccion.title,
            "completada_el": _fecha(lc.completada_at),
        }
        for lc in LeccionCompletada.objects.filter(inscripcion__usuario=usuario)
        .select_related("inscripcion__curso", "leccion")
        .order_by("completada_at")
    ]


def _intentos(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "evaluacion": it.evaluacion.titulo,
            "numero": it.numero,
            "estado": it.get_estado_display(),
            "iniciado_el": _fecha(it.iniciado_at),
            "calificado_el": _fecha(it.calificado_at),
            "puntaje": str(it.puntaje) if it.puntaje is not None else None,
            "aprobado": it.aprobado,
        }
        for it in Intento.objects.filter(usuario=usuario)
        .select_related("evaluacion")
        .order_by("iniciado_at")
    ]


def _h5p(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "actividad": r.paquete.titulo,
            "leccion": r.leccion.title,
            "verbo": r.verbo.rsplit("/", 1)[-1],
            "puntaje_escalado": (
                str(r.puntaje_escalado) if r.puntaje_escalado is not None else None
            ),
            "exito": r.exito,
            "registrado_el": _fecha(r.created_at),
        }
        for r in ResultadoH5P.objects.filter(usuario=usuario)
        .select_related("paquete", "leccion")
        .order_by("created_at")
    ]


def _certificados(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "codigo": c.codigo_formateado,
            "curso": c.curso_titulo,
            "titular": c.titular_nombre,
            "horas": str(c.horas),
            "emitido_el": _fecha(c.emitido_at),
            "vence_el": _fecha(c.vence_at),
            "estado": str(c.estado_efectivo_etiqueta),
        }
        for c in Certificado.objects.filter(usuario=usuario).order_by("emitido_at")
    ]


def _asistencias(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "jornada": a.jornada.titulo,
            "inicio": _fecha(a.jornada.inicio),
            "modalidad": a.jornada.get_modalidad_display(),
            "origen": a.get_origen_display(),
            "registrada_el": _fecha(a.registrada_at),
        }
        for a in Asistencia.objects.filter(usuario=usuario)
        .select_related("jornada__curso")
        .order_by("registrada_at")
    ]


def _avisos(usuario: Any) -> dict[str, Any]:
    preferencia = PreferenciaAvisos.objects.filter(usuario=usuario).first()
    return {
        "lista": [
            {
                "categoria": a.get_categoria_display(),
                "titulo": a.titulo,
                "texto": a.texto,
                "creado_el": _fecha(a.creado_at),
                "leido_el": _fecha(a.leido_at),
                "enviado_el": _fecha(a.enviado_at),
            }
            for a in Aviso.objects.filter(usuario=usuario).order_by("creado_at")
        ],
        "categorias_excluidas": list(preferencia.excluidas) if preferencia else [],
    }


def auditoria_de_persona(usuario: Any) -> QuerySet[RegistroAuditoria]:
    """Entradas de la bitácora sobre la persona (es el objeto) o hechas por ella."""
    tipo = ContentType.objects.get_for_model(get_user_model())
    entradas: QuerySet[RegistroAuditoria] = (
        RegistroAuditoria.objects.filter(
            Q(content_type=tipo, object_id=str(usuario.pk)) | Q(user=usuario)
        )
        .select_related("user")
        .order_by("-timestamp", "-id")
    )
    return entradas


def _auditoria(usuario: Any) -> list[dict[str, Any]]:
    from wagtail.log_actions import registry

    return [
        {
            "fecha": _fecha(e.timestamp),
            "accion": str(registry.get_action_label(e.action)),
            "descripcion": e.label,
            "por": nombre_visible(e.user) if e.user else "",
        }
        for e in auditoria_de_persona(usuario)
    ]


def _solicitudes(usuario: Any) -> list[dict[str, Any]]:
    return [
        {
            "dato": s.get_campo_display(),
            "motivo": s.motivo,
            "estado": s.get_estado_display(),
            "pedida_el": _fecha(s.created_at),
            "resuelta_el": _fecha(s.resuelta_at),
            "motivo_rechazo": s.motivo_rechazo,
        }
        for s in SolicitudRectificacion.objects.filter(usuario=usuario)
    ]


def datos_personales(usuario: Any) -> dict[str, Any]:
    """Todo lo que el tenant guarda de ``usuario``, listo para JSON o para HTML.

    Es lo que descarga la persona en «Mis datos» (derecho de acceso y portabilidad).
    """
    return {
        "generado_el": _fecha(timezone.now()),
        "perfil": _perfil(usuario),
        "inscripciones": _inscripciones(usuario),
        "lecciones_completadas": _lecciones(usuario),
        "intentos": _intentos(usuario),
        "resultados_h5p": _h5p(usuario),
        "certificados": _certificados(usuario),
        "asistencias": _asistencias(usuario),
        "avisos": _avisos(usuario),
        "solicitudes_rectificacion": _solicitudes(usuario),
        "auditoria": _auditoria(usuario),
    }


def solicitudes_pendientes() -> QuerySet[SolicitudRectificacion]:
    return SolicitudRectificacion.objects.filter(
        estado=SolicitudRectificacion.Estado.PENDIENTE
    ).select_related("usuario")


def personas_buscar(*, texto: str, limite: int = 50) -> QuerySet[Any]:
    """Personas del tenant por nombre, usuario, correo o RUT (el texto llega por POST).

    Las cuentas ya anonimizadas no aparecen.
    """
    from lib.rut import rut_normalizar

    texto = texto.strip()
    usuarios = get_user_model().objects.exclude(username__startswith=PREFIJO_ANONIMA)
    if not texto:
        return usuarios.none()
    filtro = (
        Q(username__icontains=texto)
        | Q(email__icontains=texto)
        | Q(first_name__icontains=texto)
        | Q(last_name__icontains=texto)
    )
    partes = texto.split()
    if len(partes) >= 2:
        filtro |= Q(first_name__icontains=partes[0], last_name__icontains=partes[-1])
    try:
        filtro |= Q(perfil__rut=rut_normalizar(texto))
    except ValidationError:
        pass  # No es un RUT: se busca por lo demás.
    return (
        usuarios.filter(filtro)
        .select_related("perfil__unidad")
        .order_by("last_name", "first_name")[:limite]
    )


def retencion_anios() -> int:
    """Años de inactividad del ajuste del tenant o, si es 0, del servidor."""
    anios = PoliticaRetencion.load().anios_inactividad
    return anios or settings.CAPACITA_RETENCION_ANIOS


def personas_inactivas(
    *, anios: int, ahora: dt.datetime | None = None
) -> QuerySet[Any]:
    """Cuentas sin ingreso ni actividad en ``anios`` años (ni inscripción, ni
    lección, ni intento, ni asistencia). Nunca el personal con roles de gestión ni
    las ya anonimizadas. ``anios = 0``: ninguna."""
    usuarios = get_user_model().objects.exclude(username__startswith=PREFIJO_ANONIMA)
    if anios <= 0:
        return usuarios.none()
    ahora = ahora or timezone.now()
    try:
        limite = ahora.replace(year=ahora.year - anios)
    except ValueError:  # 29 de febrero: se cuenta desde el 28.
        limite = ahora.replace(year=ahora.year - anios, day=28)
    activos = Q(last_login__gte=limite) | Q(date_joined__gte=limite)
    return (
        usuarios.filter(is_superuser=False, is_staff=False)
        .exclude(groups__name__in=[Rol.ENCARGADO, Rol.EDITOR, Rol.COORDINADOR_MITP])
        .exclude(activos)
        .annotate(
            ultima_inscripcion=Max("inscripciones__created_at"),
            ultima_leccion=Max("inscripciones__lecciones_completadas__completada_at"),
            ultimo_intento=Max("intentos__iniciado_at"),
            ultima_asistencia=Max("asistencias__registrada_at"),
        )
        # Sin actividad de un tipo (NULL) también es inactividad: HAVING con NULL
        # no sirve con exclude, por eso cada condición dice los dos casos.
        .filter(
            *(
                Q(**{f"{campo}__lt": limite}) | Q(**{f"{campo}__isnull": True})
                for campo in (
                    "ultima_inscripcion",
                    "ultima_leccion",
                    "ultimo_intento",
                    "ultima_asistencia",
                )
            )
        )
        .select_related("perfil__unidad")
        .order_by("last_login", "date_joined")
    )


def auditoria_privacidad() -> QuerySet[RegistroAuditoria]:
    """Quién consultó, descargó, rectificó o anonimizó datos de quién (este tenant)."""
    entradas: QuerySet[RegistroAuditoria] = (
        RegistroAuditoria.objects.filter(action__startswith="capacita.privacidad.")
        .select_related("user")
        .order_by("-timestamp", "-id")
    )
    return entradas


def bitacora_privacidad_filas(*, limite: int = 200) -> list[dict[str, Any]]:
    """Las entradas de ``auditoria_privacidad`` listas para una tabla."""
    from wagtail.log_actions import registry

    return [
        {
            "timestamp": e.timestamp,
            "accion": e.action,
            "accion_etiqueta": str(registry.get_action_label(e.action)),
            "label": e.label,
            "actor": nombre_visible(e.user)
            if e.user
            else (e.data or {}).get("por", ""),
        }
        for e in auditoria_privacidad()[:limite]
    ]
