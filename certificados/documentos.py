"""Armado de documentos: datos del PDF, la credencial Open Badges, enlaces y correos.

Sin reglas de negocio: servicios, vistas y tareas lo llaman con datos ya decididos.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.urls import reverse
from django_tenants.utils import schema_context

from tenants.enlaces import url_publica, url_tenant
from tenants.models import Tenant
from verificacion.codigos import codigo_formatear

from .models import ConfiguracionCertificados
from .openbadges import credencial_construir, credencial_firmar
from .pdf import DatosPdf, certificado_pdf

logger = logging.getLogger(__name__)


def url_verificacion(codigo: str) -> str:
    """URL pública (sitio de la MITP) a la que apunta el QR."""
    return url_publica(f"/verificar/{codigo}")


def url_mis_certificados(tenant: Tenant) -> str:
    return url_tenant(tenant, reverse("certificados:mis_certificados"))


@dataclass(frozen=True)
class ContextoPdf:
    institucion: str
    firmante_nombre: str
    firmante_cargo: str
    color: str
    logo: bytes | None


def _logo_leer(tenant: Tenant) -> bytes | None:
    if not tenant.logo:
        return None
    # El logo se sube desde el sitio público: su archivo está en el media de public.
    try:
        with schema_context("public"), tenant.logo.open("rb") as archivo:
            return archivo.read()
    except (OSError, ValueError):
        logger.warning("No se pudo leer el logo del tenant %s", tenant.schema_name)
        return None


def contexto_pdf(*, tenant: Tenant) -> ContextoPdf:
    """Lo que comparte todo certificado del tenant (una lectura por lote)."""
    configuracion = ConfiguracionCertificados.load()
    return ContextoPdf(
        institucion=configuracion.institucion or tenant.nombre,
        firmante_nombre=configuracion.firmante_nombre,
        firmante_cargo=configuracion.firmante_cargo,
        color=tenant.color_primario,
        logo=_logo_leer(tenant),
    )


def certificado_pdf_generar(
    certificado, *, tenant: Tenant, contexto: ContextoPdf | None = None
) -> bytes:
    contexto = contexto or contexto_pdf(tenant=tenant)
    return certificado_pdf(
        DatosPdf(
            titular=certificado.titular_nombre,
            curso=certificado.curso_titulo,
            horas=certificado.horas,
            emitido_at=certificado.emitido_at,
            vence_at=certificado.vence_at,
            codigo_formateado=codigo_formatear(certificado.codigo),
            url_verificacion=url_verificacion(certificado.codigo),
            institucion=contexto.institucion,
            firmante_nombre=contexto.firmante_nombre,
            firmante_cargo=contexto.firmante_cargo,
            color=contexto.color,
            logo=contexto.logo,
            version=certificado.version,
            version_fecha=certificado.version_fecha,
        )
    )


def certificado_openbadge(certificado, *, tenant: Tenant) -> str:
    """La credencial OB 3.0 firmada (VC-JWT compacto)."""
    credencial = credencial_construir(
        certificado=certificado,
        institucion=contexto_pdf(tenant=tenant).institucion,
        url_verificacion=url_verificacion(certificado.codigo),
        esquema=tenant.schema_name,
    )
    return credencial_firmar(credencial)
