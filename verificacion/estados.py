"""El estado efectivo de un certificado: una sola regla (DESIGN.md §5.4).

Vive aquí, en la capa más baja que conoce los estados de un certificado, para que la
usen todos sin importar hacia arriba:

- ``certificados.Certificado.estado_efectivo`` (páginas, exportaciones, avisos);
- ``verificacion.RegistroCertificado.estado_efectivo`` (la verificación pública);
- ``cursos.selectors.inscripcion_estado`` (el estado de una inscripción);
- ``certificados.selectors.estado_efectivo_anotar``, su traducción a SQL para filtrar
  y contar (una prueba comprueba que ambas dicen lo mismo caso por caso).

Reglas:

- revocado y reemplazado son decisiones guardadas: mandan sobre la fecha;
- ``vigencia_meses = 0`` significa que el certificado **no vence** (sin fecha);
- con fecha, es válido **hasta ese día inclusive** (hora de Chile), como dicen el PDF,
  el correo y la verificación («Válido hasta el …»); desde el día siguiente es
  «vencido», aunque la tarea diaria aún no haya guardado el cambio;
- un «vencido» guardado (la tarea diaria, o un cambio a mano) no vuelve a ser válido;
- «versión anterior» también es una decisión guardada: al publicarse una versión mayor
  de un curso, certificados marca los certificados válidos de versiones anteriores
  (``certificados.services.certificados_version_superar``), y manda sobre la fecha.
  Ponerse al día emite otro certificado, que reemplaza al anterior.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .models import EstadoCertificado

Estado = EstadoCertificado

# Estados guardados que ninguna fecha cambia.
DEFINITIVOS = (
    Estado.REVOCADO,
    Estado.REEMPLAZADO,
    Estado.VENCIDO,
    Estado.VERSION_ANTERIOR,
)


def vencimiento_calcular(
    *, desde: dt.datetime, vigencia_meses: int | None
) -> dt.datetime | None:
    """Cuándo vence lo completado en ``desde``; ``None`` si no vence (0 meses)."""
    if not vigencia_meses:
        return None
    return desde + relativedelta(months=vigencia_meses)


def fecha_local(valor: dt.date | dt.datetime) -> dt.date:
    """La fecha en Chile de un instante (o la fecha tal cual)."""
    if isinstance(valor, dt.datetime):
        return timezone.localdate(valor)
    return valor


def limite_vencido(hoy: dt.date) -> dt.datetime:
    """Todo ``vence_at`` anterior a este instante ya venció ``hoy``: la medianoche local
    con que empieza hoy. Es la regla de ``vencido`` escrita para SQL."""
    return timezone.make_aware(dt.datetime.combine(hoy, dt.time.min))


def vencido(vence: dt.date | dt.datetime | None, hoy: dt.date | None = None) -> bool:
    """Vencido desde el día siguiente a su fecha de vencimiento (hora de Chile)."""
    if vence is None:
        return False
    return fecha_local(vence) < (hoy or timezone.localdate())


def certificado_estado(
    *,
    estado: str,
    vence: dt.date | dt.datetime | None,
    hoy: dt.date | None = None,
) -> str:
    """El estado que se muestra y se cuenta: válido, vencido, revocado, reemplazado o
    versión anterior.

    ``estado`` es el guardado; ``vence`` la fecha (o el instante) de vencimiento.
    """
    if estado in DEFINITIVOS:
        return estado
    # «Versión anterior» (issue 16) es uno de los DEFINITIVOS: un certificado de una
    # versión mayor ya superada deja de ser válido aunque su fecha no haya llegado.
    if vencido(vence, hoy):
        return Estado.VENCIDO
    return Estado.VIGENTE
