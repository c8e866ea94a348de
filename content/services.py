from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.log_actions import log
from wagtail.models import Page, Site

from .models import HomePage, RegistroAuditoria


@transaction.atomic
def portada_preparar(*, titulo: str, hostname: str) -> HomePage:
    """Deja el schema activo con una portada y un Site por defecto que apunta a ella.

    Idempotente: en un schema clonado solo actualiza el título y el hostname.
    """
    portada = HomePage.objects.first()
    if portada is None:
        raiz = Page.get_first_root_node()
        portada = raiz.add_child(
            instance=HomePage(
                title=titulo,
                slug="inicio",
                introduccion=_(
                    "<p>Plataforma de capacitación contra la trata de personas de la "
                    "Mesa Intersectorial sobre Trata de Personas.</p>"
                ),
            )
        )
        # La página de bienvenida que crea la migración de Wagtail sobra.
        Page.objects.filter(depth=2).exclude(pk=portada.pk).delete()
    elif portada.title != titulo:
        portada.title = titulo
        portada.draft_title = titulo
        portada.save_revision().publish()
    Site.objects.exclude(root_page=portada).delete()
    Site.objects.update_or_create(
        root_page=portada,
        defaults={
            "hostname": hostname,
            "port": 80,
            "site_name": titulo,
            "is_default_site": True,
        },
    )
    Site.clear_site_root_paths_cache()
    return cast(HomePage, portada)


# Las acciones de la bitácora del tenant: su etiqueta es el filtro «Acción» de
# Informes → Historial del sitio y su mensaje, la línea de cada entrada.
ACCIONES_AUDITORIA = {
    "capacita.exportacion": (_lazy("Exportación"), _lazy("Exportó datos")),
    "capacita.revocacion": (
        _lazy("Revocación de certificado"),
        _lazy("Revocó un certificado"),
    ),
    "capacita.roles": (_lazy("Cambio de roles"), _lazy("Cambió los roles")),
    "capacita.importacion": (
        _lazy("Importación de planilla"),
        _lazy("Importó una planilla (nómina, asistencia o banco de preguntas)"),
    ),
    "capacita.api": (
        _lazy("Escritura por la API o SCIM"),
        _lazy("Escribió con un token de la API"),
    ),
    "capacita.token_api": (_lazy("Token de la API"), _lazy("Creó o revocó un token")),
    "capacita.version": (
        _lazy("Versión de un curso"),
        _lazy("Publicó una versión de un curso"),
    ),
    "capacita.actualizacion": (
        _lazy("Actualización por versión"),
        _lazy("Asignó la actualización de una versión"),
    ),
}


def auditoria_registrar(
    *,
    objeto: Model,
    accion: str,
    usuario: AbstractBaseUser | None = None,
    titulo: str | None = None,
    detalle: dict[str, Any] | None = None,
) -> RegistroAuditoria:
    """Una entrada en la bitácora del tenant, por el registro de Wagtail (``log``).

    ``objeto`` es aquello sobre lo que se actuó (una exportación, un certificado,
    una persona, un token); su modelo se registra para ``RegistroAuditoria`` en el
    ``wagtail_hooks.py`` de su app. ``usuario`` es quien actuó, una cuenta de este
    schema o ``None`` (la API, o la MITP desde el sitio público: va en ``detalle``).
    Sin RUT: ids y cantidades.
    """
    if accion not in ACCIONES_AUDITORIA:
        raise ValueError(f"Acción de auditoría sin registrar: {accion}")
    entrada = log(objeto, accion, user=usuario, title=titulo, data=detalle or {})
    if not isinstance(entrada, RegistroAuditoria):
        # El modelo no está registrado: la entrada se iría a otra tabla (o a ninguna).
        raise ImproperlyConfigured(
            f"{type(objeto).__name__} no escribe en RegistroAuditoria: regístrelo "
            "con register_log_actions."
        )
    return entrada


def tenant_preparado_portada(
    sender: object, titulo: str, hostname: str, **kwargs: object
) -> None:
    """Receptor de ``tenants.signals.tenant_preparado``: la portada del tenant nuevo."""
    portada_preparar(titulo=titulo, hostname=hostname)
