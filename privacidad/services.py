"""Derechos sobre los datos personales (Ley 21.719): acceso, rectificación,
anonimización y retención, con su huella en la bitácora del tenant.

Todo corre en el schema del tenant de la persona (la MITP entra con tenant_context).
Nada de aquí escribe un RUT en la bitácora, en un log ni en una URL.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from avisos.models import Aviso, PreferenciaAvisos
from certificados.models import Certificado, LoteZip
from content.models import Importacion, RegistroAuditoria, ResultadoH5P
from cursos.choices import Region, Sexo
from cursos.models import Asistencia, Inscripcion, Perfil
from cursos.services.perfiles import perfil_actualizar
from indicadores.hechos import (
    claves_de_persona,
    hechos_persona_desvincular,
    persona_clave,
)
from indicadores.models import Exportacion
from lib.rut import rut_normalizar
from tenants.roles import nombre_visible
from tenants.selectors import tenant_actual
from verificacion.services import registros_anonimizar

from .models import (
    NOMBRE_ANONIMIZADO,
    Campo,
    PoliticaRetencion,
    SolicitudRectificacion,
)
from .selectors import PREFIJO_ANONIMA, personas_inactivas, retencion_anios

logger = logging.getLogger(__name__)

# Las acciones de privacidad en la bitácora (Informes → Historial del sitio);
# privacidad/wagtail_hooks.py las registra.
ACCIONES = {
    "capacita.privacidad.exportacion": (
        _lazy("Descarga de datos personales"),
        _lazy("Descargó los datos personales de una persona"),
    ),
    "capacita.privacidad.lectura": (
        _lazy("Consulta de datos personales"),
        _lazy("Consultó los datos personales de una persona"),
    ),
    "capacita.privacidad.rectificacion": (
        _lazy("Rectificación de datos"),
        _lazy("Pidió o resolvió una rectificación de datos"),
    ),
    "capacita.privacidad.anonimizacion": (
        _lazy("Anonimización de una persona"),
        _lazy("Anonimizó los datos de una persona"),
    ),
}


def _auditar(
    *, persona: Any, accion: str, actor: Any, titulo: str, detalle: dict[str, Any]
) -> RegistroAuditoria:
    """Una entrada de la bitácora del tenant cuyo objeto es la persona.

    ``actor`` es una cuenta de este schema o ``None`` (la MITP: va en ``detalle``).
    """
    if accion not in ACCIONES:
        raise ValueError(f"Acción de privacidad sin registrar: {accion}")
    entrada = log(persona, accion, user=actor, title=titulo, data=detalle)
    if not isinstance(entrada, RegistroAuditoria):
        raise ImproperlyConfigured("Las cuentas no escriben en RegistroAuditoria.")
    return entrada


def exportacion_registrar(*, usuario: Any, formato: str) -> None:
    """Deja en la bitácora que la persona descargó sus datos (JSON o HTML)."""
    _auditar(
        persona=usuario,
        accion="capacita.privacidad.exportacion",
        actor=usuario,
        titulo=_("Mis datos (%(formato)s) de %(nombre)s")
        % {"formato": formato.upper(), "nombre": nombre_visible(usuario)},
        detalle={"usuario_id": usuario.pk, "formato": formato},
    )


def lectura_registrar(*, actor: Any, persona: Any, por: str = "", sitio: str) -> None:
    """Deja en la bitácora que alguien abrió el detalle de los datos de una persona."""
    _auditar(
        persona=persona,
        accion="capacita.privacidad.lectura",
        actor=actor,
        titulo=_("Datos de %(nombre)s") % {"nombre": nombre_visible(persona)},
        detalle={"usuario_id": persona.pk, "por": por, "sitio": sitio},
    )


# --- Rectificación -------------------------------------------------------------


def _valor_validar(campo: str, valor: str) -> str:
    valor = valor.strip()
    if not valor:
        raise ValidationError({"valor": _("Indique el valor correcto.")})
    if campo == Campo.RUT:
        try:
            return rut_normalizar(valor)
        except ValidationError as exc:
            raise ValidationError({"valor": exc.error_list}) from None
    if campo == Campo.CORREO:
        try:
            validate_email(valor)
        except ValidationError:
            raise ValidationError(
                {"valor": _("Escriba un correo electrónico válido.")}
            ) from None
        return valor.lower()
    if campo in (Campo.SEXO, Campo.REGION):
        opciones = Sexo if campo == Campo.SEXO else Region
        for opcion in opciones:
            if valor.lower() in (opcion.value, str(opcion.label).lower()):
                return opcion.value
        raise ValidationError(
            {
                "valor": _("Elija una de estas opciones: %(opciones)s.")
                % {"opciones": ", ".join(str(o.label) for o in opciones)}
            }
        )
    return valor[:150]


def rectificacion_solicitar(
    *, usuario: Any, campo: str, valor: str, motivo: str
) -> SolicitudRectificacion:
    """La persona pide corregir un dato suyo; la encargada la resuelve."""
    if campo not in Campo.values:
        raise ValidationError({"campo": _("Elija el dato que quiere corregir.")})
    motivo = motivo.strip()
    if not motivo:
        raise ValidationError({"motivo": _("Cuente por qué hay que corregirlo.")})
    valor = _valor_validar(campo, valor)
    pendientes = SolicitudRectificacion.objects.filter(
        usuario=usuario, campo=campo, estado=SolicitudRectificacion.Estado.PENDIENTE
    )
    if pendientes.exists():
        raise ValidationError(
            {"campo": _("Ya tiene una solicitud pendiente para ese dato.")}
        )
    with transaction.atomic():
        solicitud = SolicitudRectificacion(
            usuario=usuario, campo=campo, valor_propuesto=valor, motivo=motivo[:1000]
        )
        solicitud.full_clean()
        solicitud.save()
        _auditar(
            persona=usuario,
            accion="capacita.privacidad.rectificacion",
            actor=usuario,
            titulo=_("Solicitud de rectificación de %(nombre)s: %(campo)s")
            % {
                "nombre": nombre_visible(usuario),
                "campo": solicitud.get_campo_display(),
            },
            detalle={"solicitud": solicitud.pk, "campo": campo, "estado": "pendiente"},
        )
    return solicitud


def _aplicar(solicitud: SolicitudRectificacion) -> None:
    """Aplica el valor con el servicio del perfil (cursos.services.perfiles)."""
    usuario = solicitud.usuario
    valor = solicitud.valor_propuesto
    if solicitud.campo == Campo.CORREO:
        User = get_user_model()
        if User.objects.filter(email__iexact=valor).exclude(pk=usuario.pk).exists():
            raise ValidationError(_("Ese correo ya está registrado en otra cuenta."))
        usuario.email = valor
        usuario.save(update_fields=["email"])
        return
    perfil = Perfil.objects.filter(usuario=usuario).first()
    actuales: dict[str, Any] = {
        "first_name": usuario.first_name,
        "last_name": usuario.last_name,
        "rut": None,
        "sexo": perfil.sexo if perfil else "",
        "institucion": perfil.institucion if perfil else None,
        "unidad": perfil.unidad if perfil else None,
        "cargo": perfil.cargo if perfil else "",
        "region": perfil.region if perfil else "",
    }
    actuales[solicitud.campo] = valor
    perfil_actualizar(usuario=usuario, **actuales)


def _solicitud_pendiente(solicitud: SolicitudRectificacion) -> SolicitudRectificacion:
    bloqueada = (
        SolicitudRectificacion.objects.select_for_update()
        .select_related("usuario")
        .get(pk=solicitud.pk)
    )
    if bloqueada.estado != SolicitudRectificacion.Estado.PENDIENTE:
        raise ValidationError(_("La solicitud ya estaba resuelta."))
    return bloqueada


def _resolver(
    solicitud: SolicitudRectificacion, *, actor: Any, estado: str, motivo: str = ""
) -> None:
    solicitud.estado = estado
    solicitud.motivo_rechazo = motivo
    # El valor propuesto (quizá un RUT) no se guarda más de lo necesario.
    solicitud.valor_propuesto = ""
    solicitud.resuelta_por = actor
    solicitud.resuelta_at = timezone.now()
    solicitud.save()
    _auditar(
        persona=solicitud.usuario,
        accion="capacita.privacidad.rectificacion",
        actor=actor,
        titulo=_("Rectificación de %(nombre)s: %(campo)s (%(estado)s)")
        % {
            "nombre": nombre_visible(solicitud.usuario),
            "campo": solicitud.get_campo_display(),
            "estado": solicitud.get_estado_display(),
        },
        detalle={"solicitud": solicitud.pk, "campo": solicitud.campo, "estado": estado},
    )


def rectificacion_aceptar(
    *, solicitud: SolicitudRectificacion, actor: Any
) -> SolicitudRectificacion:
    with transaction.atomic():
        bloqueada = _solicitud_pendiente(solicitud)
        _aplicar(bloqueada)
        _resolver(bloqueada, actor=actor, estado=SolicitudRectificacion.Estado.ACEPTADA)
    return bloqueada


def rectificacion_rechazar(
    *, solicitud: SolicitudRectificacion, actor: Any, motivo: str
) -> SolicitudRectificacion:
    motivo = motivo.strip()
    if not motivo:
        raise ValidationError(_("Indique el motivo del rechazo."))
    with transaction.atomic():
        bloqueada = _solicitud_pendiente(solicitud)
        _resolver(
            bloqueada,
            actor=actor,
            estado=SolicitudRectificacion.Estado.RECHAZADA,
            motivo=motivo[:1000],
        )
    return bloqueada


# --- Anonimización ---------------------------------------------------------------


def _ruts(rut: str | None) -> list[str]:
    """El RUT en los formatos en que pudo quedar escrito (con y sin puntos ni guion)."""
    if not rut:
        return []
    cuerpo, _guion, dv = rut.partition("-")
    con_puntos = f"{int(cuerpo):,}".replace(",", ".")
    return [rut, f"{con_puntos}-{dv}", f"{cuerpo}{dv}", cuerpo]


def _tachar(texto: str, identificadores: list[str]) -> str:
    import re

    for valor in sorted(identificadores, key=len, reverse=True):
        texto = re.sub(re.escape(valor), NOMBRE_ANONIMIZADO, texto, flags=re.I)
    return texto


def _json_tachar(datos: Any, identificadores: list[str]) -> Any:
    return json.loads(_tachar(json.dumps(datos, ensure_ascii=False), identificadores))


def _con_texto(modelo: Any, campos: list[str], identificadores: list[str]) -> Any:
    """Filas de ``modelo`` cuyo texto (o JSON como texto) contiene un identificador."""
    if not identificadores:
        return modelo.objects.none()
    anotaciones = {f"_t_{c}": Cast(c, TextField()) for c in campos}
    filtro = Q()
    for valor in identificadores:
        for c in campos:
            filtro |= Q(**{f"_t_{c}__icontains": valor})
    return modelo.objects.annotate(**anotaciones).filter(filtro)


def _bitacora_tachar(usuario: Any, identificadores: list[str]) -> int:
    """Las entradas conservan la acción, la fecha y quién actuó, no la identidad."""
    from django.contrib.contenttypes.models import ContentType

    tipo = ContentType.objects.get_for_model(get_user_model())
    sobre = Q(content_type=tipo, object_id=str(usuario.pk))
    n = 0
    for entrada in RegistroAuditoria.objects.filter(sobre):
        entrada.label = NOMBRE_ANONIMIZADO
        entrada.data = _json_tachar(entrada.data, identificadores)
        entrada.save(update_fields=["label", "data"])
        n += 1
    for entrada in _con_texto(RegistroAuditoria, ["label", "data"], identificadores):
        entrada.label = _tachar(entrada.label, identificadores)[:255]
        entrada.data = _json_tachar(entrada.data, identificadores)
        entrada.save(update_fields=["label", "data"])
        n += 1
    return n


def _sesiones_cerrar(usuario: Any) -> int:
    from importlib import import_module

    from django.conf import settings

    motor = import_module(settings.SESSION_ENGINE)
    cerradas = 0
    for sesion in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if sesion.get_decoded().get("_auth_user_id") == str(usuario.pk):
            motor.SessionStore(session_key=sesion.session_key).delete()
            cerradas += 1
    return cerradas


def persona_anonimizar(
    *, usuario: Any, motivo: str, actor: Any = None, por: str = "", sitio: str
) -> dict[str, int]:
    """Anonimiza a una persona del tenant activo (Ley 21.719, supresión).

    1. Sus hechos nacionales cambian de clave seudónima por una al azar: siguen
       contando, ya no se vinculan (indicadores.hechos.hechos_persona_desvincular).
    2. Sus certificados y su fila del registro público quedan a nombre de «Persona
       anonimizada» (el PDF y la credencial se generan de esas filas).
    3. La cuenta pierde nombre, correo, usuario, clave, roles y sesiones, y queda
       desactivada; el perfil pierde RUT, sexo, cargo y región (la unidad queda: es de
       la institución y sostiene los totales por unidad). Se borran sus avisos.
    4. La bitácora conserva cada acción, sin su identidad.
    """
    motivo = motivo.strip()
    if not motivo:
        raise ValidationError(_("Indique el motivo de la anonimización."))
    if usuario.get_username().startswith(PREFIJO_ANONIMA):
        raise ValidationError(_("Esa persona ya estaba anonimizada."))
    if usuario.is_superuser:
        raise ValidationError(_("Una cuenta de administración no se anonimiza aquí."))
    tenant = tenant_actual()
    schema = connection.schema_name  # type: ignore[attr-defined]  # django-tenants
    User = get_user_model()
    with transaction.atomic():
        usuario = User.objects.select_for_update().get(pk=usuario.pk)
        perfil = Perfil.objects.filter(usuario=usuario).first()
        rut = perfil.rut if perfil else None
        identificadores = [
            v
            for v in [
                nombre_visible(usuario),
                f"{usuario.first_name} {usuario.last_name}".strip(),
                usuario.get_username(),
                usuario.email,
                *_ruts(rut),
            ]
            if v and len(v) >= 4
        ]
        claves = claves_de_persona(
            tenant_id=tenant.pk,
            inscripcion_ids=list(
                Inscripcion.objects.filter(usuario=usuario).values_list("pk", flat=True)
            ),
            asistencia_ids=list(
                Asistencia.objects.filter(usuario=usuario).values_list("pk", flat=True)
            ),
        )
        claves.add(persona_clave(rut=None, schema_name=schema, usuario_id=usuario.pk))
        if rut:
            claves.add(
                persona_clave(rut=rut, schema_name=schema, usuario_id=usuario.pk)
            )
        hechos = hechos_persona_desvincular(claves=sorted(claves))
        certificados = list(Certificado.objects.filter(usuario=usuario))
        Certificado.objects.filter(usuario=usuario).update(
            titular_nombre=NOMBRE_ANONIMIZADO
        )
        registros_anonimizar(
            tenant_id=tenant.pk,
            certificado_ids=[c.pk for c in certificados],
            nombre=NOMBRE_ANONIMIZADO,
        )
        # Los ZIP de la unidad llevan su PDF con el nombre: se borran (se rearman).
        if perfil and perfil.unidad_id:
            for lote in LoteZip.objects.filter(unidad_id=perfil.unidad_id):
                if lote.archivo:
                    lote.archivo.delete(save=False)
                lote.delete()
        username_anterior = usuario.get_username()
        usuario.username = f"{PREFIJO_ANONIMA}{uuid.uuid4().hex[:16]}"
        usuario.first_name = usuario.last_name = usuario.email = ""
        usuario.is_active = usuario.is_staff = False
        usuario.set_unusable_password()
        usuario.save()
        usuario.groups.clear()
        usuario.user_permissions.clear()
        if perfil is not None:
            perfil.rut = None
            perfil.sexo = perfil.cargo = perfil.region = ""
            perfil.save(update_fields=["rut", "sexo", "cargo", "region"])
        # Si fue encargada: su nombre quedó copiado como quien revocó un certificado.
        Certificado.objects.filter(revocado_por__in=identificadores).update(
            revocado_por=NOMBRE_ANONIMIZADO
        )
        # El perfil del admin de Wagtail (avatar, preferencias).
        for perfil_admin in UserProfile.objects.filter(user=usuario):
            if perfil_admin.avatar:
                perfil_admin.avatar.delete(save=False)
            perfil_admin.delete()
        Aviso.objects.filter(usuario=usuario).delete()
        PreferenciaAvisos.objects.filter(usuario=usuario).delete()
        SolicitudRectificacion.objects.filter(usuario=usuario).update(
            valor_propuesto="", motivo=""
        )
        # Las declaraciones xAPI pueden traer el actor (nombre, correo).
        for resultado in ResultadoH5P.objects.filter(usuario=usuario):
            if isinstance(resultado.declaracion, dict):
                resultado.declaracion.pop("actor", None)
                resultado.declaracion = _json_tachar(
                    resultado.declaracion, identificadores
                )
                resultado.save(update_fields=["declaracion"])
        for importacion in _con_texto(
            Importacion, ["resultado", "parametros"], identificadores
        ):
            importacion.resultado = _json_tachar(importacion.resultado, identificadores)
            importacion.parametros = _json_tachar(
                importacion.parametros, identificadores
            )
            importacion.save(update_fields=["resultado", "parametros"])
        with schema_context(get_public_schema_name()):
            Exportacion.objects.filter(
                schema_name=schema, usuario=username_anterior
            ).update(usuario=usuario.username)
        entradas = _bitacora_tachar(usuario, identificadores)
        sesiones = _sesiones_cerrar(usuario)
        _auditar(
            persona=usuario,
            accion="capacita.privacidad.anonimizacion",
            actor=actor,
            titulo=NOMBRE_ANONIMIZADO,
            detalle={
                "usuario_id": usuario.pk,
                "motivo": _tachar(motivo, identificadores)[:500],
                "por": por,
                "sitio": sitio,
                "hechos": hechos,
                "certificados": len(certificados),
            },
        )
    logger.info("Persona %s anonimizada en %s (%s)", usuario.pk, schema, sitio)
    return {
        "hechos": hechos,
        "certificados": len(certificados),
        "bitacora": entradas,
        "sesiones": sesiones,
    }


def retencion_aplicar(*, actor: Any = None, por: str = "") -> int:
    """Anonimiza las cuentas inactivas según la política del tenant; dice cuántas."""
    anios = retencion_anios()
    n = 0
    for usuario in list(personas_inactivas(anios=anios)):
        persona_anonimizar(
            usuario=usuario,
            motivo=_("Retención: %(anios)s años sin actividad") % {"anios": anios},
            actor=actor,
            por=por,
            sitio="retencion",
        )
        n += 1
    return n


def politica_guardar(*, anios: int, actor: Any) -> PoliticaRetencion:
    """Fija los años de inactividad tras los que se anonimiza una cuenta."""
    if anios < 0:
        raise ValidationError(_("Los años no pueden ser negativos."))
    politica: PoliticaRetencion = PoliticaRetencion.load()
    politica.anios_inactividad = anios
    politica.full_clean()
    politica.save()
    logger.info("Política de retención: %s años (usuario %s)", anios, actor.pk)
    return politica
