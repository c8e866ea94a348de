"""Reglas de certificados: emisión, correo, vencimiento, recertificación y revocación.

Cada cambio de estado escribe el certificado del tenant y su fila en el registro público
(``verificacion.RegistroCertificado``) en la misma transacción: el ``search_path`` es
``tenant, public``, así que basta una conexión (DESIGN.md §3).
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import zipfile

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from content.trabajos import trabajo_avanzar, trabajo_iniciar, trabajo_terminar
from cursos.models import CursoPage, Inscripcion, Unidad, VersionCurso
from cursos.services.versiones import inscripcion_nuevo_ciclo
from lib.concurrencia import crear_o_recuperar
from lib.correo import correo_enviar
from tenants.roles import nombre_visible
from tenants.selectors import tenant_actual
from verificacion.codigos import codigo_generar
from verificacion.estados import (
    certificado_estado,
    limite_vencido,
    vencimiento_calcular,
)
from verificacion.models import EstadoCertificado, RegistroCertificado

from .documentos import (
    certificado_pdf_generar,
    contexto_pdf,
    url_mis_certificados,
    url_verificacion,
)
from .models import Certificado, CursoActualizacion, LoteZip
from .selectors import certificados_de_unidad
from .signals import certificado_revocado

logger = logging.getLogger(__name__)

Estado = EstadoCertificado


def titular_nombre(usuario: AbstractBaseUser) -> str:
    return nombre_visible(usuario)


def _registro_estado(certificado: Certificado) -> None:
    """Copia el estado del certificado a su fila pública (misma transacción)."""
    RegistroCertificado.objects.filter(codigo=certificado.codigo).update(
        estado=certificado.estado,
        motivo_revocacion=certificado.motivo_revocacion,
        revocado_el=(
            timezone.localdate(certificado.revocado_at)
            if certificado.revocado_at
            else None
        ),
        reemplazado_por=(
            certificado.reemplazado_por.codigo if certificado.reemplazado_por else ""
        ),
        updated_at=timezone.now(),
    )


def _anteriores_a_reemplazar(
    certificado: Certificado, version: VersionCurso | None = None
) -> QuerySet[Certificado]:
    """Certificados previos que el nuevo reemplaza: el mismo curso en un ciclo
    anterior, el curso que este curso actualiza o, si pone al día en una versión
    (``version``, issue 16), los de versiones mayores anteriores de ese curso."""
    previos = Q(curso_id=certificado.curso_id, ciclo__lt=certificado.ciclo) | Q(
        curso__actualizacion__curso_actualizacion_id=certificado.curso_id
    )
    if version is not None and version.curso_id != certificado.curso_id:
        previos |= Q(
            inscripcion__version__curso_id=version.curso_id,
            inscripcion__version__numero__lt=version.numero,
        ) | Q(curso_id=version.curso_id, inscripcion__version__isnull=True)
    return (
        Certificado.objects.select_for_update(of=("self",))
        .filter(usuario_id=certificado.usuario_id)
        .filter(estado__in=[Estado.VIGENTE, Estado.VENCIDO, Estado.VERSION_ANTERIOR])
        .filter(previos)
        .exclude(pk=certificado.pk)
    )


def certificado_emitir(*, inscripcion_id: int) -> tuple[Certificado, bool]:
    """Emite el certificado de una inscripción completada. Idempotente.

    Devuelve (certificado, creado). Bloquea la inscripción (FOR UPDATE) para que dos
    entregas simultáneas de la misma tarea se serialicen: la segunda ve el certificado
    de la primera. La restricción única (usuario, curso, ciclo) respalda el bloqueo.
    """
    with transaction.atomic():
        inscripcion = (
            Inscripcion.objects.select_for_update(of=("self",))
            .select_related("curso", "usuario", "version__curso")
            .get(pk=inscripcion_id)
        )
        if inscripcion.completado_at is None:
            raise ValidationError(
                _("La inscripción no está completada; no se emite certificado."),
                code="no_completada",
            )
        existente = Certificado.objects.filter(
            usuario_id=inscripcion.usuario_id,
            curso_id=inscripcion.curso_id,
            ciclo=inscripcion.ciclo,
        ).first()
        if existente is not None:
            return existente, False
        curso = inscripcion.curso
        vence_at = vencimiento_calcular(
            desde=inscripcion.completado_at, vigencia_meses=curso.vigencia_meses
        )
        version = inscripcion.version
        # Un curso de actualización certifica la versión del curso que pone al día.
        titulo = version.curso.title if version else curso.title
        nuevo = Certificado(
            inscripcion=inscripcion,
            usuario=inscripcion.usuario,
            curso=curso,
            ciclo=inscripcion.ciclo,
            codigo=codigo_generar(),
            titular_nombre=titular_nombre(inscripcion.usuario),
            curso_titulo=titulo,
            version=version.etiqueta if version else curso.version,
            version_fecha=(
                timezone.localdate(version.publicada_at) if version else None
            ),
            horas=curso.horas,
            emitido_at=inscripcion.completado_at,
            vence_at=vence_at,
        )

        # Otra escritura sin el bloqueo solo es posible a mano: manda la restricción.
        def guardar() -> Certificado:
            nuevo.save()
            return nuevo

        certificado, creado = crear_o_recuperar(
            guardar,
            lambda: Certificado.objects.get(inscripcion=inscripcion),
        )
        if not creado:
            return certificado, False
        tenant = tenant_actual()
        RegistroCertificado.objects.create(
            codigo=certificado.codigo,
            tenant=tenant,
            certificado_id=certificado.pk,
            institucion=contexto_pdf(tenant=tenant).institucion,
            curso_titulo=certificado.curso_titulo,
            titular_nombre=certificado.titular_nombre,
            emitido_el=timezone.localdate(certificado.emitido_at),
            vence_el=timezone.localdate(vence_at) if vence_at else None,
            version=certificado.version,
            version_fecha=certificado.version_fecha,
        )
        for anterior in _anteriores_a_reemplazar(certificado, version):
            anterior.estado = Estado.REEMPLAZADO
            anterior.reemplazado_por = certificado
            anterior.save(update_fields=["estado", "reemplazado_por"])
            _registro_estado(anterior)
    logger.info(
        "Certificado %s emitido (inscripción %s)", certificado.pk, inscripcion_id
    )
    return certificado, True


def certificados_version_superar(*, version: VersionCurso) -> int:
    """Al publicarse una versión mayor, los certificados válidos de versiones mayores
    anteriores del curso pasan a «versión anterior» (también en el registro público).

    Cuenta la versión en que se capacitó cada uno (la de su inscripción; sin ella, la
    primera del curso). Los vencidos, revocados o reemplazados quedan como están.
    Devuelve cuántos cambió.
    """
    if version.tipo != VersionCurso.Tipo.MAYOR:
        return 0
    with transaction.atomic():
        superados = list(
            Certificado.objects.select_for_update(of=("self",))
            .filter(estado=Estado.VIGENTE)
            .filter(
                Q(
                    inscripcion__version__curso_id=version.curso_id,
                    inscripcion__version__numero__lt=version.numero,
                )
                | Q(curso_id=version.curso_id, inscripcion__version__isnull=True)
            )
            .values_list("pk", "codigo")
        )
        if not superados:
            return 0
        Certificado.objects.filter(pk__in=[pk for pk, _c in superados]).update(
            estado=Estado.VERSION_ANTERIOR
        )
        RegistroCertificado.objects.filter(
            codigo__in=[codigo for _pk, codigo in superados]
        ).update(estado=Estado.VERSION_ANTERIOR, updated_at=timezone.now())
    logger.info(
        "%s certificados en versión anterior (versión %s)", len(superados), version.pk
    )
    return len(superados)


def certificado_notificar(*, certificado_id: int) -> bool:
    """Envía una sola vez el correo de emisión con el PDF adjunto.

    La fila queda bloqueada mientras se envía: una entrega duplicada espera y luego ve
    ``correo_enviado_at``. Si el envío falla, la transacción se revierte y un reintento
    lo vuelve a intentar.
    """
    with transaction.atomic():
        certificado = (
            Certificado.objects.select_for_update(of=("self",))
            .select_related("usuario")
            .get(pk=certificado_id)
        )
        if certificado.correo_enviado_at is not None:
            return False
        if not certificado.usuario.email:
            return False
        tenant = tenant_actual()
        correo_enviar(
            plantilla="certificados/emails/emitido",
            destinatario=certificado.usuario.email,
            contexto={
                "certificado": certificado,
                "tenant": tenant,
                "url_verificacion": url_verificacion(certificado.codigo),
                "url_mis_certificados": url_mis_certificados(tenant),
            },
            adjuntos=[
                (
                    f"certificado-{certificado.codigo_formateado}.pdf",
                    certificado_pdf_generar(certificado, tenant=tenant),
                    "application/pdf",
                )
            ],
        )
        certificado.correo_enviado_at = timezone.now()
        certificado.save(update_fields=["correo_enviado_at"])
    return True


def completitudes_sin_certificado() -> QuerySet[Inscripcion]:
    return Inscripcion.objects.filter(
        completado_at__isnull=False, certificado__isnull=True
    ).order_by("completado_at")


def certificados_barrer(*, limite: int = 500) -> int:
    """Emite los certificados que faltan (p. ej. si el broker estaba caído al
    completar) y reintenta los correos pendientes. Devuelve cuántos emitió."""
    emitidos = 0
    for inscripcion_id in completitudes_sin_certificado().values_list("pk", flat=True)[
        :limite
    ]:
        _certificado, creado = certificado_emitir(inscripcion_id=inscripcion_id)
        emitidos += int(creado)
    pendientes = Certificado.objects.filter(
        correo_enviado_at__isnull=True, estado=Estado.VIGENTE
    ).exclude(usuario__email="")
    for certificado_id in pendientes.values_list("pk", flat=True)[:limite]:
        certificado_notificar(certificado_id=certificado_id)
    return emitidos


def certificado_revocar(
    *,
    certificado: Certificado,
    motivo: str,
    por: str,
    usuario: AbstractBaseUser | None = None,
    sitio: str = "tenant",
) -> Certificado:
    """Revoca el certificado, su fila pública y (por ``certificado_revocado``) el hecho
    nacional de su completitud, todo en una transacción: si algo falla, nada cambia.
    """
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError(_("Indique el motivo de la revocación."), code="motivo")
    with transaction.atomic():
        bloqueado = Certificado.objects.select_for_update().get(pk=certificado.pk)
        if bloqueado.estado == Estado.REVOCADO:
            raise ValidationError(
                _("El certificado ya estaba revocado."), code="ya_revocado"
            )
        bloqueado.estado = Estado.REVOCADO
        bloqueado.motivo_revocacion = motivo[:500]
        bloqueado.revocado_at = timezone.now()
        bloqueado.revocado_por = por[:200]
        bloqueado.save(
            update_fields=["estado", "motivo_revocacion", "revocado_at", "revocado_por"]
        )
        _registro_estado(bloqueado)
        # En la bitácora del tenant del certificado (Informes → Historial del sitio);
        # si revoca la MITP, su cuenta es del schema public: va su nombre en «por».
        auditoria_registrar(
            objeto=bloqueado,
            accion="capacita.revocacion",
            usuario=usuario,
            titulo=_("Certificado %(codigo)s")
            % {"codigo": bloqueado.codigo_formateado},
            detalle={
                "certificado": bloqueado.pk,
                "motivo": bloqueado.motivo_revocacion,
                "por": bloqueado.revocado_por,
                "sitio": sitio,
            },
        )
        # indicadores escucha y retira el hecho en esta misma transacción.
        certificado_revocado.send(sender=Certificado, certificado=bloqueado)
    logger.info("Certificado %s revocado", bloqueado.pk)
    return bloqueado


def certificado_revocar_desde_registro(
    *, registro: RegistroCertificado, motivo: str, por: str
) -> Certificado:
    """Revocación por la MITP desde el sitio público: entra al schema del tenant."""
    from django_tenants.utils import schema_context

    if registro.tenant is None:
        raise ValidationError(_("El tenant de este certificado ya no existe."))
    with schema_context(registro.tenant.schema_name):
        certificado = Certificado.objects.get(pk=registro.certificado_id)
        return certificado_revocar(
            certificado=certificado, motivo=motivo, por=por, sitio="mitp"
        )


def certificados_vencer(*, ahora: dt.datetime | None = None) -> int:
    """Guarda «vencido» en los válidos cuya fecha ya pasó (verificacion/estados.py)."""
    ahora = ahora or timezone.now()
    with transaction.atomic():
        vencidos = Certificado.objects.select_for_update().filter(
            estado=Estado.VIGENTE,
            vence_at__lt=limite_vencido(timezone.localdate(ahora)),
        )
        codigos = list(vencidos.values_list("codigo", flat=True))
        Certificado.objects.filter(codigo__in=codigos).update(estado=Estado.VENCIDO)
        RegistroCertificado.objects.filter(codigo__in=codigos).update(
            estado=Estado.VENCIDO, updated_at=ahora
        )
    return len(codigos)


def recertificable(certificado: Certificado, ahora: dt.datetime | None = None) -> bool:
    """Se puede recertificar desde 30 días antes del vencimiento."""
    ahora = ahora or timezone.now()
    estado = certificado_estado(
        estado=certificado.estado,
        vence=certificado.vence_at,
        hoy=timezone.localdate(ahora),
    )
    if estado not in (Estado.VIGENTE, Estado.VENCIDO):
        return False
    if certificado.vence_at is None:
        return False
    aviso = dt.timedelta(days=settings.CERTIFICADOS_DIAS_AVISO)
    return certificado.vence_at - aviso <= ahora


def curso_de_recertificacion(curso: CursoPage) -> CursoPage:
    actualizacion = (
        CursoActualizacion.objects.filter(curso=curso)
        .select_related("curso_actualizacion")
        .first()
    )
    return actualizacion.curso_actualizacion if actualizacion else curso


def recertificacion_iniciar(*, certificado: Certificado) -> Inscripcion:
    """Reinscribe a la persona (ciclo nuevo) en el curso o en su curso de actualización.

    Idempotente: si ya hay un ciclo abierto sin completar, lo devuelve. El certificado
    anterior queda «reemplazado» cuando se emita el nuevo.
    """
    if not recertificable(certificado):
        raise ValidationError(
            _("Este certificado todavía no se puede recertificar."), code="temprano"
        )
    destino = curso_de_recertificacion(certificado.curso)
    if not destino.live:
        raise ValidationError(
            _("El curso «%(curso)s» no está publicado; no admite inscripciones.")
            % {"curso": destino.title},
            code="no_publicado",
        )
    with transaction.atomic():
        # Bloquea la inscripción del certificado: serializa dos clics simultáneos.
        Inscripcion.objects.select_for_update().get(pk=certificado.inscripcion_id)
        # El mismo ciclo nuevo que asigna una actualización de versión (cursos).
        inscripcion, _creada = inscripcion_nuevo_ciclo(
            usuario_id=certificado.usuario_id,
            curso=destino,
            inscrito_por_id=certificado.usuario_id,
        )
        return inscripcion


def lote_zip_solicitar(*, unidad: Unidad, usuario: User) -> LoteZip:
    """Crea el lote y encola su armado cuando la transacción haga commit."""
    from .tasks import lote_zip_construir_task

    with transaction.atomic():
        lote = LoteZip.objects.create(
            unidad=unidad,
            solicitado_por=usuario,
            total=certificados_de_unidad(unidad_id=unidad.pk).count(),
        )
        transaction.on_commit(lambda: lote_zip_construir_task.delay(lote.pk))
    return lote


def lote_zip_construir(*, lote_id: int, cada: int = 25) -> LoteZip:
    """Arma el ZIP en un archivo temporal (memoria acotada) y lo guarda como archivo
    privado del tenant (fuera de MEDIA_ROOT, nombre uuid4: ver ``LoteZip.archivo``).
    Publica el avance cada ``cada`` certificados, fuera de transacción para que la
    barra de progreso lo vea."""
    lote = LoteZip.objects.select_related("unidad").get(pk=lote_id)
    if lote.estado == LoteZip.Estado.LISTO:
        return lote
    certificados = certificados_de_unidad(unidad_id=lote.unidad_id).only(
        "codigo", "titular_nombre", "curso_titulo", "horas", "emitido_at", "vence_at"
    )
    trabajo_iniciar(lote, total=certificados.count())
    tenant = tenant_actual()
    contexto = contexto_pdf(tenant=tenant)
    with tempfile.TemporaryFile() as temporal:
        with zipfile.ZipFile(
            temporal, "w", zipfile.ZIP_DEFLATED, compresslevel=1
        ) as zf:
            for hechos, certificado in enumerate(
                certificados.iterator(chunk_size=500), start=1
            ):
                nombre = slugify(certificado.titular_nombre) or "certificado"
                zf.writestr(
                    f"{nombre}-{certificado.codigo_formateado}.pdf",
                    certificado_pdf_generar(
                        certificado, tenant=tenant, contexto=contexto
                    ),
                )
                if hechos % cada == 0:
                    trabajo_avanzar(lote, hechos=hechos)
        temporal.seek(0)
        lote.archivo.save(lote.nombre_descarga, File(temporal), save=False)
    trabajo_terminar(lote, campos=("archivo",))
    return lote
