"""Prepara datos y hace cambios en la base de la topología, como un proceso más.

Corre como subproceso (``python -m tests.topologia.ayudante <orden> ...``) con el
mismo entorno que los nodos (config.settings.production, la misma DATABASE_URL y el
mismo Redis); imprime una línea JSON. Todo ocurre en el schema alfa.
"""

from __future__ import annotations

import json
import os
import sys
import time

import django

CLAVE = "clave-topologia-123"


def _preparar(n_aprendices: int = 8) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from content.h5p.almacen import paquete_crear
    from cursos.models import Perfil
    from tenants.roles import Rol
    from tenants.services import usuario_asegurar
    from tests.bench.bench_carga import CLAVE as CLAVE_CARGA
    from tests.bench.bench_carga import _datos_tenant
    from tests.content import h5p_paquetes as pq
    from tests.cursos.factories import UnidadFactory
    from verificacion.models import RegistroCertificado

    # Personas inscritas con sesión iniciada, lecciones, quiz y certificados en el
    # registro público: los mismos datos del benchmark de carga (tests/bench).
    User = get_user_model()
    datos = _datos_tenant(n_aprendices)
    with transaction.atomic():
        unidad = UnidadFactory(nombre="Brigada Topología")
        for usuario in User.objects.filter(username__startswith="carga_"):
            Perfil.objects.update_or_create(
                usuario=usuario, defaults={"unidad": unidad}
            )
        usuario_asegurar(username="olga-topo", password=CLAVE, rol=Rol.ENCARGADO)
    datos["codigos"] = list(
        RegistroCertificado.objects.filter(tenant__schema_name="alfa").values_list(
            "codigo", flat=True
        )
    )
    paquete = paquete_crear(titulo="Paquete de la topología", archivo=pq.demo_archivo())
    datos.update(
        host_tenant="alfa.localhost",
        host_publico="localhost",
        aprendiz="carga_0000",
        clave_aprendiz=CLAVE_CARGA,
        encargada="olga-topo",
        clave=CLAVE,
        unidad=unidad.pk,
        paquete_carpeta=paquete.carpeta.removeprefix("h5p/"),
    )
    return datos


def _tenant(nombre: str, color: str) -> dict:
    from django_tenants.utils import schema_context

    from tenants.models import Tenant

    with schema_context("public"):
        tenant = Tenant.objects.get(schema_name="alfa")
        tenant.nombre = nombre
        tenant.color_primario = color
        tenant.save()
    return {"nombre": nombre, "instante": time.time()}


def _restriccion(page_id: int, poner: int) -> dict:
    from wagtail.models import Page, PageViewRestriction

    pagina = Page.objects.get(pk=page_id)
    if poner:
        PageViewRestriction.objects.create(
            page=pagina, restriction_type=PageViewRestriction.LOGIN
        )
    else:
        for restriccion in PageViewRestriction.objects.filter(page=pagina):
            restriccion.delete()
    return {"pagina": pagina.url, "instante": time.time()}


def _pagina(slug: str) -> dict:
    from wagtail.models import Page

    pagina = Page.objects.get(slug=slug)
    return {"id": pagina.pk, "url": pagina.url, "titulo": pagina.title}


def _sitio(page_id: int) -> dict:
    """Cambia la raíz del Site de alfa: «/» pasa a mostrar otra página."""
    from wagtail.models import Page, Site

    sitio = Site.objects.get(is_default_site=True)
    anterior = sitio.root_page_id
    sitio.root_page = Page.objects.get(pk=page_id)
    sitio.save()
    return {"anterior": anterior, "instante": time.time()}


def main(argv: list[str]) -> dict:
    from django_tenants.utils import schema_context

    orden, argumentos = argv[0], argv[1:]
    with schema_context("alfa"):
        if orden == "preparar":
            return _preparar()
        if orden == "tenant":
            return _tenant(*argumentos)
        if orden == "pagina":
            return _pagina(argumentos[0])
        if orden == "restriccion":
            return _restriccion(int(argumentos[0]), int(argumentos[1]))
        if orden == "sitio":
            return _sitio(int(argumentos[0]))
    raise SystemExit(f"orden desconocida: {orden}")


if __name__ == "__main__":
    django.setup()
    sys.stdout.write(json.dumps(main(sys.argv[1:])) + "\n")
    sys.stdout.flush()
    # Sin esperar el cierre ordenado del intérprete: el cambio ya está confirmado y
    # la prueba de propagación mide desde ese instante.
    os._exit(0)
