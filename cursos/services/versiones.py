"""Versiones de un curso: publicar una versión y asignar la actualización (issue 16).

Una versión mayor deja «en versión anterior» a quienes se capacitaron antes: la señal
``version_publicada`` avisa a certificados (marca sus certificados) y a indicadores
(publica la versión vigente para el tablero nacional). La encargada asigna la
actualización a todas esas personas de una vez, con plazo: el curso corto de la
versión o el curso completo otra vez, en un ciclo nuevo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from tenants.roles import nombre_visible

from ..models import CursoPage, Inscripcion, VersionCurso
from ..signals import inscripcion_asignada, version_publicada


def version_vigente(curso: CursoPage) -> VersionCurso | None:
    """La última versión publicada del curso (mayor o menor), o None si no tiene."""
    return (
        VersionCurso.objects.filter(curso=curso)
        .select_related("curso_actualizacion")
        .order_by("-numero", "-menor")
        .first()
    )


def version_etiqueta_leer(texto: str) -> tuple[int, int]:
    """«2.0» → (2, 0); «3» → (3, 0). Lanza ValidationError si no es una versión."""
    partes = str(texto).strip().split(".")
    try:
        numero = int(partes[0])
        menor = int(partes[1]) if len(partes) > 1 and partes[1] else 0
    except ValueError:
        raise ValidationError(
            _("«%(texto)s» no es una versión (use, p. ej., «2.0»).") % {"texto": texto},
            code="version_invalida",
        ) from None
    return numero, menor


def version_inicial_asegurar(curso: CursoPage) -> VersionCurso:
    """La primera versión del curso, según ``CursoPage.version`` (por defecto 1.0).

    Un curso creado antes de las versiones, o recién cargado del currículo, parte con
    ella; idempotente."""
    existente = version_vigente(curso)
    if existente is not None:
        return existente
    numero, menor = version_etiqueta_leer(curso.version or "1.0")
    version, _creada = VersionCurso.objects.get_or_create(
        curso=curso,
        numero=numero,
        menor=menor,
        defaults={
            "tipo": VersionCurso.Tipo.MAYOR,
            "publicada_at": curso.first_published_at or timezone.now(),
        },
    )
    return version


def _pagina_version_fijar(curso: CursoPage, etiqueta: str) -> None:
    """``CursoPage.version`` refleja la versión vigente, también en la última revisión:
    así publicar después otra edición de la página no la devuelve a la anterior."""
    CursoPage.objects.filter(pk=curso.pk).update(version=etiqueta)
    curso.version = etiqueta
    revision = curso.latest_revision
    if revision is not None and isinstance(revision.content, dict):
        revision.content["version"] = etiqueta
        revision.save(update_fields=["content"])


@transaction.atomic
def version_publicar(
    *,
    curso: CursoPage,
    tipo: str,
    resumen: str,
    publicada_por: User | None,
    requiere: str = VersionCurso.Requiere.COMPLETO,
    curso_actualizacion: CursoPage | None = None,
    numero: int | None = None,
    menor: int | None = None,
) -> VersionCurso:
    """Publica la versión siguiente del curso (o la indicada, p. ej. desde el YAML).

    Mayor: (n + 1).0, e invalida la capacitación anterior. Menor: n.(m + 1), una
    corrección que no cambia quién está al día. Queda en la bitácora del tenant.
    """
    anterior = version_inicial_asegurar(curso)
    if numero is None:
        if tipo == VersionCurso.Tipo.MAYOR:
            numero, menor = anterior.numero + 1, 0
        else:
            numero, menor = anterior.numero, anterior.menor + 1
    menor = menor or 0
    if (numero, menor) <= (anterior.numero, anterior.menor):
        raise ValidationError(
            _("La versión nueva debe ser posterior a la %(actual)s.")
            % {"actual": anterior.etiqueta},
            code="version_anterior",
        )
    if requiere == VersionCurso.Requiere.ACTUALIZACION:
        if curso_actualizacion is None:
            raise ValidationError(
                _("Elija el curso de actualización o pida el curso completo."),
                code="sin_actualizacion",
            )
        if curso_actualizacion.pk == curso.pk:
            raise ValidationError(
                _("El curso de actualización debe ser otro curso."),
                code="actualizacion_mismo",
            )
    else:
        curso_actualizacion = None
    version = VersionCurso(
        curso=curso,
        numero=numero,
        menor=menor,
        tipo=tipo,
        resumen=resumen,
        requiere=requiere,
        curso_actualizacion=curso_actualizacion,
        publicada_por=publicada_por,
    )
    version.full_clean()
    version.save()
    _pagina_version_fijar(curso, version.etiqueta)
    auditoria_registrar(
        objeto=version,
        accion="capacita.version",
        usuario=publicada_por,
        titulo=str(version)[:255],
        detalle={"curso_id": curso.pk, "version": version.etiqueta, "tipo": tipo},
    )
    version_publicada.send(sender=VersionCurso, version=version)
    return version


def version_de_completitud(inscripcion: Inscripcion) -> VersionCurso | None:
    """La versión en que queda capacitada quien completa ``inscripcion``.

    Un curso de actualización pone al día en la versión que actualiza; cualquier otro
    curso (también el completo rehecho), en su versión vigente al completarlo.
    """
    destino = inscripcion.actualiza_version
    if destino is not None and destino.curso_id != inscripcion.curso_id:
        return destino
    return version_vigente(inscripcion.curso)


@dataclass
class ResultadoActualizacion:
    asignadas: int = 0
    ya_asignadas: int = 0
    rechazadas: list[tuple[str, str]] = field(default_factory=list)


def inscripcion_nuevo_ciclo(
    *,
    usuario_id: int,
    curso: CursoPage,
    inscrito_por_id: int | None,
    plazo: dt.date | None = None,
    actualiza_version: VersionCurso | None = None,
) -> tuple[Inscripcion, bool]:
    """Reinscribe en un ciclo nuevo (recertificación, actualización de versión).

    Si el último ciclo del curso sigue abierto lo devuelve (con el plazo y la versión
    nuevos, si se dan); si no, crea el siguiente. Devuelve (inscripción, creada).
    Llamar dentro de una transacción que serialice a la persona.
    """
    ultima = (
        Inscripcion.objects.filter(usuario_id=usuario_id, curso=curso)
        .order_by("-ciclo")
        .first()
    )
    if ultima is not None and ultima.completado_at is None:
        cambios = []
        if plazo is not None and ultima.plazo != plazo:
            ultima.plazo = plazo
            cambios.append("plazo")
        if actualiza_version and ultima.actualiza_version_id != actualiza_version.pk:
            ultima.actualiza_version = actualiza_version
            cambios.append("actualiza_version")
        if cambios:
            ultima.save(update_fields=cambios)
        return ultima, False
    nueva = Inscripcion.objects.create(
        usuario_id=usuario_id,
        curso=curso,
        ciclo=(ultima.ciclo + 1) if ultima else 1,
        inscrito_por_id=inscrito_por_id,
        plazo=plazo,
        actualiza_version=actualiza_version,
    )
    return nueva, True


def actualizacion_asignar(
    *,
    version: VersionCurso,
    usuarios: list[User],
    plazo: dt.date,
    asignada_por: User,
) -> ResultadoActualizacion:
    """Asigna a cada persona la actualización de ``version``, con plazo.

    El curso de actualización de la versión o, si pide el curso completo, un ciclo
    nuevo del curso (como una recertificación). Cada persona recibe el aviso de
    ``inscripcion_asignada`` con motivo «actualizacion». Una sola entrada en la
    bitácora, con cuántas se asignaron.
    """
    if version.tipo != VersionCurso.Tipo.MAYOR:
        raise ValidationError(
            _("Solo una versión mayor exige actualizar la capacitación."),
            code="version_menor",
        )
    if plazo < timezone.localdate():
        raise ValidationError(
            _("El plazo no puede ser una fecha pasada."), code="plazo_pasado"
        )
    destino = version.destino_actualizacion
    if not destino.live:
        raise ValidationError(
            _("El curso «%(curso)s» no está publicado; no admite inscripciones.")
            % {"curso": destino.title},
            code="no_publicado",
        )
    resultado = ResultadoActualizacion()
    with transaction.atomic():
        for usuario in usuarios:
            if not usuario.is_active:
                resultado.rechazadas.append(
                    (nombre_visible(usuario), _("la cuenta está desactivada"))
                )
                continue
            inscripcion, creada = inscripcion_nuevo_ciclo(
                usuario_id=usuario.pk,
                curso=destino,
                inscrito_por_id=asignada_por.pk,
                plazo=plazo,
                actualiza_version=version,
            )
            if creada:
                resultado.asignadas += 1
                inscripcion_asignada.send(
                    sender=Inscripcion, inscripcion=inscripcion, motivo="actualizacion"
                )
            else:
                resultado.ya_asignadas += 1
        auditoria_registrar(
            objeto=version,
            accion="capacita.actualizacion",
            usuario=asignada_por,
            titulo=str(version)[:255],
            detalle={
                "version": version.etiqueta,
                "curso_id": destino.pk,
                "asignadas": resultado.asignadas,
                "ya_asignadas": resultado.ya_asignadas,
                "plazo": plazo.isoformat(),
            },
        )
    return resultado


def version_curriculo_sincronizar(*, curso: CursoPage, etiqueta: str) -> VersionCurso:
    """El ``version:`` del YAML de un curso sobre sus versiones.

    La primera carga crea la versión del archivo («1.0»); si el archivo sube la
    versión («2.0»), se publica: mayor si cambia el primer número, menor si no.
    """
    numero, menor = version_etiqueta_leer(etiqueta)
    vigente = version_vigente(curso)
    if vigente is None:
        curso.version = f"{numero}.{menor}"
        return version_inicial_asegurar(curso)
    if (numero, menor) <= (vigente.numero, vigente.menor):
        # La página recién publicada trae el texto del YAML: vuelve al vigente.
        if curso.version != vigente.etiqueta:
            _pagina_version_fijar(curso, vigente.etiqueta)
        return vigente
    tipo = (
        VersionCurso.Tipo.MAYOR if numero > vigente.numero else VersionCurso.Tipo.MENOR
    )
    return version_publicar(
        curso=curso,
        tipo=tipo,
        resumen=_("Actualización del currículo nacional (versión %(v)s).")
        % {"v": f"{numero}.{menor}"},
        publicada_por=None,
        numero=numero,
        menor=menor,
    )


def versiones_numero_mayor(curso_ids: list[int]) -> dict[int, int]:
    """El número de la versión mayor vigente de cada curso (los que tienen)."""
    filas = (
        VersionCurso.objects.filter(curso_id__in=curso_ids)
        .values("curso_id")
        .annotate(mayor=Max("numero"))
    )
    return {f["curso_id"]: f["mayor"] for f in filas}
