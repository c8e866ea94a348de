"""Reglas de avisos: crearlos una sola vez, revisar plazos y vencimientos cada día y
enviar a cada persona a lo más un resumen por correo al día.

Los avisos se crean idempotentes por ``(usuario, clave)``; el resumen diario bloquea la
preferencia de la persona mientras envía, así dos corridas a la vez (dos beats, un
reintento) dejan un solo correo.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from certificados.models import Certificado
from certificados.selectors import certificados_por_vencer
from cursos.models import Inscripcion
from lib.concurrencia import crear_o_recuperar
from lib.correo import correo_enviar
from tenants.enlaces import url_host
from tenants.roles import nombre_visible
from tenants.selectors import tenant_actual

from . import selectors
from .models import Aviso, Categoria, PreferenciaAvisos

logger = logging.getLogger(__name__)

# Días antes del plazo en que se recuerda: el primero que toque dentro de la ventana.
DIAS_PLAZO = (7, 1)
FORMATO_FECHA = r"j \d\e F \d\e Y"


def _schema() -> str:
    return str(getattr(connection, "schema_name", "public"))


def _contador_invalidar(usuario_id: int) -> None:
    """Borra el contador del encabezado ahora y otra vez al confirmar: una petición
    que lo recalcule entre medio no deja guardado el valor de antes."""
    clave = selectors.contador_clave(usuario_id)
    cache.delete(clave)
    schema = _schema()

    def _al_confirmar() -> None:
        with schema_context(schema):
            cache.delete(clave)

    transaction.on_commit(_al_confirmar)


def aviso_crear(
    *,
    usuario: User,
    categoria: str,
    clave: str,
    titulo: str,
    texto: str = "",
    enlace: str = "",
) -> tuple[Aviso, bool]:
    """Crea el aviso una sola vez por ``clave``; devuelve (aviso, creado)."""
    if categoria not in Categoria.values:
        raise ValidationError(_("Categoría de aviso desconocida."), code="categoria")
    aviso, creado = crear_o_recuperar(
        lambda: Aviso.objects.create(
            usuario=usuario,
            categoria=categoria,
            clave=clave[:120],
            titulo=titulo[:255],
            texto=texto,
            enlace=enlace[:255],
        ),
        lambda: Aviso.objects.get(usuario=usuario, clave=clave[:120]),
    )
    if creado:
        _contador_invalidar(usuario.pk)
    return aviso, creado


def _enlace_curso(inscripcion: Inscripcion) -> str:
    # Nota: la URL de la página lee el Site (en caché en content).
    return inscripcion.curso.url or reverse("cursos:mis_cursos")


def _plazo_texto(plazo: dt.date | None) -> str:
    if plazo is None:
        return ""
    return " " + _("Plazo para completarlo: %(fecha)s.") % {
        "fecha": date_format(plazo, FORMATO_FECHA)
    }


def aviso_inscripcion_crear(*, inscripcion: Inscripcion, motivo: str) -> Aviso:
    """El aviso de un curso asignado por otra persona o de una actualización."""
    curso = inscripcion.curso.title
    if motivo == "actualizacion":
        categoria = Categoria.ACTUALIZACION
        titulo = _("Debe actualizar su capacitación: «%(curso)s»") % {"curso": curso}
        texto = _(
            "El contenido cambió con una nueva versión del protocolo y su "
            "capacitación anterior ya no está al día. Se le inscribió en «%(curso)s»."
        ) % {"curso": curso}
    else:
        categoria = Categoria.INSCRIPCION
        titulo = _("Se le asignó el curso «%(curso)s»") % {"curso": curso}
        texto = _(
            "Su encargada o encargado de capacitación lo inscribió en «%(curso)s»."
        ) % {"curso": curso}
    aviso, _creado = aviso_crear(
        usuario=inscripcion.usuario,
        categoria=categoria,
        clave=f"{categoria}:{inscripcion.pk}",
        titulo=titulo,
        texto=texto + _plazo_texto(inscripcion.plazo),
        enlace=_enlace_curso(inscripcion),
    )
    return aviso


def avisos_plazos_revisar(*, hoy: dt.date) -> int:
    """Recuerda los plazos que se acercan (7 días antes y 1 día antes)."""
    creados = 0
    for inscripcion in selectors.inscripciones_por_vencer_plazo(
        hoy=hoy, dias=max(DIAS_PLAZO)
    ).select_related("usuario"):
        assert inscripcion.plazo is not None
        faltan = (inscripcion.plazo - hoy).days
        # El umbral más cercano que ya se cruzó: 7 (faltan 2 a 7) o 1 (faltan 0 o 1).
        umbral = min(d for d in DIAS_PLAZO if faltan <= d)
        titulo = ngettext(
            "Queda %(n)d día para completar «%(curso)s»",
            "Quedan %(n)d días para completar «%(curso)s»",
            faltan,
        ) % {"n": faltan, "curso": inscripcion.curso.title}
        if faltan == 0:
            titulo = _("Hoy vence el plazo de «%(curso)s»") % {
                "curso": inscripcion.curso.title
            }
        _aviso, creado = aviso_crear(
            usuario=inscripcion.usuario,
            categoria=Categoria.PLAZO,
            clave=f"plazo:{inscripcion.pk}:{inscripcion.plazo.isoformat()}:{umbral}",
            titulo=titulo,
            texto=_("El plazo para completar «%(curso)s» es el %(fecha)s.")
            % {
                "curso": inscripcion.curso.title,
                "fecha": date_format(inscripcion.plazo, FORMATO_FECHA),
            },
            enlace=_enlace_curso(inscripcion),
        )
        creados += int(creado)
    return creados


def avisos_vencimientos_revisar(*, ahora: dt.datetime) -> int:
    """Avisa (una vez por certificado) a quien tiene uno que vence en ≤ 30 días.

    Antes certificados enviaba su propio correo; ahora el aviso va en el resumen diario
    y ``aviso_vencimiento_at`` sigue diciendo cuándo se avisó.
    """
    limite = ahora + dt.timedelta(days=settings.CERTIFICADOS_DIAS_AVISO)
    candidatos = (
        certificados_por_vencer(desde=ahora, hasta=limite)
        .filter(aviso_vencimiento_at__isnull=True, usuario__is_active=True)
        .select_related("usuario")
    )
    creados = 0
    for certificado in candidatos:
        with transaction.atomic():
            _aviso, creado = aviso_crear(
                usuario=certificado.usuario,
                categoria=Categoria.VENCIMIENTO,
                clave=f"vencimiento:{certificado.pk}",
                titulo=_("Su certificado del curso «%(curso)s» vence pronto")
                % {"curso": certificado.curso_titulo},
                texto=_(
                    "Su certificado del curso «%(curso)s» vence el %(fecha)s. Para "
                    "mantenerlo vigente, recertifíquese desde «Mis certificados»: se "
                    "abrirá un nuevo ciclo del curso."
                )
                % {
                    "curso": certificado.curso_titulo,
                    "fecha": date_format(
                        timezone.localtime(certificado.vence_at), FORMATO_FECHA
                    ),
                },
                enlace=reverse("certificados:mis_certificados"),
            )
            Certificado.objects.filter(pk=certificado.pk).update(
                aviso_vencimiento_at=ahora
            )
        creados += int(creado)
    return creados


# --- Baja con un clic ---------------------------------------------------------------


def _firmador() -> signing.Signer:
    # El schema en la sal: un enlace de un tenant no sirve en otro.
    return signing.Signer(salt=f"avisos.baja.{_schema()}")


def preferencia_obtener(*, usuario: User) -> PreferenciaAvisos:
    preferencia, _creada = crear_o_recuperar(
        lambda: PreferenciaAvisos.objects.create(usuario=usuario),
        lambda: PreferenciaAvisos.objects.get(usuario=usuario),
    )
    return preferencia


def baja_firmar(*, preferencia: PreferenciaAvisos, categoria: str) -> str:
    """Valor firmado del enlace de baja: el token aleatorio y la categoría."""
    return _firmador().sign_object({"t": str(preferencia.token), "c": categoria})


def baja_leer(firma: str) -> tuple[PreferenciaAvisos, str]:
    """Preferencia y categoría de un enlace de baja; ValidationError si no vale."""
    try:
        datos: dict[str, Any] = _firmador().unsign_object(firma)
        categoria = str(datos["c"])
        preferencia = PreferenciaAvisos.objects.select_related("usuario").get(
            token=str(datos["t"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("El enlace no es válido."), code="firma") from exc
    except PreferenciaAvisos.DoesNotExist as exc:
        raise ValidationError(_("El enlace no es válido."), code="firma") from exc
    if categoria not in Categoria.values:
        raise ValidationError(_("El enlace no es válido."), code="firma")
    return preferencia, categoria


def preferencias_guardar(*, usuario: User, recibir: set[str]) -> PreferenciaAvisos:
    """Guarda qué categorías quiere recibir por correo (las obligatorias siempre)."""
    excluibles = {v for v, _n in selectors.excluibles()}
    preferencia = preferencia_obtener(usuario=usuario)
    preferencia.excluidas = sorted(excluibles - set(recibir))
    preferencia.full_clean()
    preferencia.save(update_fields=["excluidas"])
    return preferencia


def categoria_excluir(*, preferencia: PreferenciaAvisos, categoria: str) -> bool:
    """Da de baja una categoría; False si es obligatoria (no se puede)."""
    if categoria in selectors.OBLIGATORIAS:
        return False
    if categoria not in preferencia.excluidas:
        preferencia.excluidas = sorted({*preferencia.excluidas, categoria})
        preferencia.save(update_fields=["excluidas"])
    return True


# --- Leídos ---------------------------------------------------------------------------


def avisos_marcar_leidos(*, usuario: User, aviso_id: int | None = None) -> int:
    """Marca como leído un aviso de la persona, o todos si no se dice cuál."""
    qs = Aviso.objects.filter(usuario=usuario, leido_at__isnull=True)
    if aviso_id is not None:
        qs = qs.filter(pk=aviso_id)
    marcados = qs.update(leido_at=timezone.now())
    if marcados:
        _contador_invalidar(usuario.pk)
    return marcados


# --- Resumen diario -------------------------------------------------------------------


@dataclass
class ResultadoDiario:
    plazos: int = 0
    vencimientos: int = 0
    correos: int = 0

    def como_dict(self) -> dict[str, int]:
        return {
            "plazos": self.plazos,
            "vencimientos": self.vencimientos,
            "correos": self.correos,
        }


def _absoluta(dominio: str | None, ruta: str) -> str:
    """La ruta en el host principal del tenant ("" si no tiene dominio)."""
    if ruta.startswith(("http://", "https://")):
        return ruta
    return url_host(dominio, ruta or "/") if dominio else ""


def resumen_enviar(*, usuario_id: int, hoy: dt.date) -> bool:
    """Envía el resumen del día a una persona, si no lo recibió ya hoy y tiene avisos
    que quiere recibir. La preferencia queda bloqueada mientras se envía."""
    usuario = User.objects.get(pk=usuario_id)
    if not usuario.email or not usuario.is_active:
        return False
    preferencia_obtener(usuario=usuario)
    with transaction.atomic():
        preferencia = PreferenciaAvisos.objects.select_for_update().get(usuario=usuario)
        if preferencia.ultimo_resumen_el == hoy:
            return False
        avisos = list(
            selectors.avisos_por_enviar(
                usuario_id=usuario.pk, excluidas=set(preferencia.excluidas)
            )
        )
        if not avisos:
            return False
        tenant = tenant_actual()
        # El dominio se lee una vez para todos los enlaces del correo.
        principal = tenant.get_primary_domain()
        dominio = principal.domain if principal is not None else None
        categorias = sorted({a.categoria for a in avisos} - selectors.OBLIGATORIAS)
        nombres = dict(Categoria.choices)
        bajas = [
            {
                "nombre": nombres[c],
                "url": _absoluta(
                    dominio,
                    reverse(
                        "avisos:baja",
                        args=[baja_firmar(preferencia=preferencia, categoria=c)],
                    ),
                ),
            }
            for c in categorias
        ]
        correo_enviar(
            plantilla="avisos/emails/resumen",
            destinatario=usuario.email,
            contexto={
                "nombre": nombre_visible(usuario),
                "tenant": tenant,
                "avisos": [
                    {"aviso": a, "url": _absoluta(dominio, a.enlace)} for a in avisos
                ],
                "bajas": bajas,
                "url_avisos": _absoluta(dominio, reverse("avisos:lista")),
                "url_preferencias": _absoluta(dominio, reverse("avisos:preferencias")),
            },
        )
        Aviso.objects.filter(pk__in=[a.pk for a in avisos]).update(
            enviado_at=timezone.now()
        )
        preferencia.ultimo_resumen_el = hoy
        preferencia.save(update_fields=["ultimo_resumen_el"])
    return True


def avisos_diario(*, ahora: dt.datetime | None = None) -> ResultadoDiario:
    """La revisión diaria del tenant activo: crea los avisos de plazos y vencimientos
    y envía los resúmenes. Una falla con una persona no detiene a las demás."""
    ahora = ahora or timezone.now()
    hoy = timezone.localdate(ahora)
    resultado = ResultadoDiario(
        plazos=avisos_plazos_revisar(hoy=hoy),
        vencimientos=avisos_vencimientos_revisar(ahora=ahora),
    )
    for usuario_id in list(selectors.usuarios_con_avisos_por_enviar()):
        try:
            resultado.correos += int(resumen_enviar(usuario_id=usuario_id, hoy=hoy))
        except Exception:
            # Sin RUT ni correo en la bitácora: solo el id interno.
            logger.exception("No se pudo enviar el resumen de avisos a %s", usuario_id)
    return resultado
