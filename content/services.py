from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
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
    return portada


def auditoria_registrar(*, usuario_id: int | None, accion: str, detalle: dict):
    return RegistroAuditoria.objects.create(
        usuario_id=usuario_id, accion=accion, detalle=detalle
    )


def tenant_preparado_portada(sender, titulo: str, hostname: str, **kwargs) -> None:
    """Receptor de ``tenants.signals.tenant_preparado``: la portada del tenant nuevo."""
    portada_preparar(titulo=titulo, hostname=hostname)
