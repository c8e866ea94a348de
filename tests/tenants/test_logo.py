"""El logo de un tenant subido en /django-admin/ se ve en su sitio (hallazgo 9).

Antes se guardaba en ``media/public/logos/`` (el schema del admin) y se enlazaba como
``/media/<schema>/logos/…``: 404 en el sitio del tenant.
"""

from __future__ import annotations

import io
import re
import types

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from PIL import Image

from certificados.documentos import contexto_pdf
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase
from tests.content import h5p_paquetes as pq


def png(color: str = "red") -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(salida, "PNG")
    return salida.getvalue()


class LogoTenantTests(pq.MediaTemporalMixin, CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coordinacion = usuario_asegurar(
            username="coordinacion-logo", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )

    def subir_logo(self, tenant: Tenant, datos: bytes) -> Tenant:
        self.client_publico.force_login(self.coordinacion)
        dominio = tenant.domains.get()
        response = self.client_publico.post(
            f"/django-admin/tenants/tenant/{tenant.pk}/change/",
            {
                "nombre": tenant.nombre,
                "grupo": tenant.grupo,
                "pais": tenant.pais,
                "color_primario": tenant.color_primario,
                "logo": SimpleUploadedFile("escudo.png", datos, "image/png"),
                "domains-TOTAL_FORMS": "1",
                "domains-INITIAL_FORMS": "1",
                "domains-MIN_NUM_FORMS": "0",
                "domains-MAX_NUM_FORMS": "1000",
                "domains-0-id": str(dominio.pk),
                "domains-0-tenant": str(tenant.pk),
                "domains-0-domain": dominio.domain,
                "domains-0-is_primary": "on",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        connection.set_schema_to_public()
        return Tenant.objects.get(pk=tenant.pk)

    def test_logo_subido_en_el_admin_se_ve_en_el_sitio_del_tenant(self):
        datos = png()
        tenant = self.subir_logo(self.tenant_a, datos)
        self.assertRegex(tenant.logo.name, r"^alfa/logos/[0-9a-f]{32}\.png$")
        url = tenant.logo.url
        self.assertRegex(url, r"^/media/alfa/logos/[0-9a-f]{32}\.png$")
        self.assertTrue((self.media / "alfa" / "logos").is_dir())
        self.assertFalse((self.media / "public" / "logos").exists())
        portada = self.client_a.get("/")
        self.assertContains(portada, f'src="{url}"')
        response = self.client_a.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), datos)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(self.client_b.get(url).status_code, 404)
        self.assertEqual(self.client_publico.get(url).status_code, 404)

    def test_el_certificado_pdf_lleva_el_logo_subido(self):
        datos = png("blue")
        tenant = self.subir_logo(self.tenant_a, datos)
        with self.en_a():
            self.assertEqual(contexto_pdf(tenant=tenant).logo, datos)

    def test_la_migracion_mueve_los_logos_subidos_a_public(self):
        viejo = self.media / "public" / "logos" / "escudo.png"
        viejo.parent.mkdir(parents=True)
        viejo.write_bytes(png())
        Tenant.objects.filter(pk=self.tenant_b.pk).update(logo="logos/escudo.png")
        loader = MigrationLoader(None, ignore_no_migrations=True)
        (migracion,) = [
            m
            for (app, nombre), m in loader.disk_migrations.items()
            if app == "tenants" and nombre.endswith("logo_en_su_media")
        ]
        (operacion,) = [o for o in migracion.operations if isinstance(o, RunPython)]
        operacion.code(apps, types.SimpleNamespace(connection=connection))
        tenant = Tenant.objects.get(pk=self.tenant_b.pk)
        self.assertTrue(re.fullmatch(r"beta/logos/[0-9a-f]{32}\.png", tenant.logo.name))
        self.assertFalse(viejo.exists())
        response = self.client_b.get(tenant.logo.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client_a.get(tenant.logo.url).status_code, 404)
