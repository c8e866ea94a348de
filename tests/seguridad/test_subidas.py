"""Límites de tamaño en cada subida: mensaje claro en español y nada guardado.

Dos capas: el límite de cada campo (error junto al campo) y el tope del cuerpo de la
petición por ruta (config/seguridad.py: 413 sin leer la subida).
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from config.seguridad import limite_subida
from content.models import PaqueteH5P
from cursos.models import Asistencia, Perfil
from evaluaciones.models import Pregunta
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import jornada_crear

MB = 1024 * 1024
PLANILLA_GRANDE = b"0" * (5 * MB + 1)
CUERPO_ENORME = b"0" * (7 * MB)
MENSAJE_413 = "El archivo es demasiado grande"


def archivo(datos: bytes, nombre: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, datos)


class SubidasTestCase(pq.MediaTemporalMixin, CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.admin = usuario_asegurar(
                username="admin-subidas", password=CLAVE, rol=Rol.ENCARGADO
            )
            self.admin.is_superuser = True
            self.admin.save(update_fields=["is_superuser"])

    def assert_413(self, response):
        self.assertEqual(response.status_code, 413)
        self.assertIn(MENSAJE_413, response.content.decode())

    def assert_nada_escrito(self):
        self.assertEqual(self.archivos_escritos(), [])


class PlanillasTests(SubidasTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "olga")

    def test_nomina_rechaza_planilla_de_mas_de_5_mb(self):
        with self.en_a():
            antes = Perfil.objects.count()
        response = self.client_a.post(
            "/encargado/nomina/importar/",
            {"archivo": archivo(PLANILLA_GRANDE, "nomina.xlsx")},
        )
        self.assertContains(response, "La planilla supera el máximo de 5 MB.")
        with self.en_a():
            self.assertEqual(Perfil.objects.count(), antes)
        self.assert_nada_escrito()

    def test_nomina_cuerpo_enorme_es_413(self):
        response = self.client_a.post(
            "/encargado/nomina/importar/",
            {"archivo": archivo(CUERPO_ENORME, "nomina.xlsx")},
        )
        self.assert_413(response)

    def test_asistencia_rechaza_planilla_de_mas_de_5_mb(self):
        with self.en_a():
            inicio = timezone.now() - timedelta(days=1)
            jornada = jornada_crear(
                tema="Jornada subida", inicio=inicio, fin=inicio + timedelta(hours=2)
            )
        response = self.client_a.post(
            f"/encargado/jornadas/{jornada.pk}/",
            {"archivo": archivo(PLANILLA_GRANDE, "asistencia.xlsx")},
        )
        self.assertContains(response, "La planilla supera el máximo de 5 MB.")
        with self.en_a():
            self.assertFalse(Asistencia.objects.filter(jornada=jornada).exists())
        self.assert_413(
            self.client_a.post(
                f"/encargado/jornadas/{jornada.pk}/",
                {"archivo": archivo(CUERPO_ENORME, "asistencia.xlsx")},
            )
        )


class AdminWagtailTests(SubidasTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "admin-subidas")

    def test_banco_de_preguntas_rechaza_planilla_de_mas_de_5_mb(self):
        with self.en_a():
            antes = Pregunta.objects.count()
        response = self.client_a.post(
            "/admin/banco/importar/",
            {"archivo": archivo(PLANILLA_GRANDE, "banco.xlsx")},
        )
        self.assertContains(response, "La planilla supera el máximo de 5 MB.")
        self.assert_413(
            self.client_a.post(
                "/admin/banco/importar/",
                {"archivo": archivo(CUERPO_ENORME, "banco.xlsx")},
            )
        )
        with self.en_a():
            self.assertEqual(Pregunta.objects.count(), antes)
        self.assert_nada_escrito()

    @override_settings(
        H5P_MAX_BYTES=MB,
        SUBIDA_LIMITES_POR_RUTA={"/admin/snippets/content/paqueteh5p/": 2 * MB},
    )
    def test_paquete_h5p_grande_se_rechaza(self):
        datos = pq.paquete(**{"content/ruido.txt": os.urandom(MB + MB // 5)})
        response = self.client_a.post(
            "/admin/snippets/content/paqueteh5p/add/",
            {"titulo": "Grande", "archivo": archivo(datos, "grande.h5p")},
        )
        self.assertContains(response, "el máximo es 1 MB")
        self.assert_413(
            self.client_a.post(
                "/admin/snippets/content/paqueteh5p/add/",
                {"titulo": "Enorme", "archivo": archivo(b"0" * 3 * MB, "x.h5p")},
            )
        )
        with self.en_a():
            self.assertFalse(PaqueteH5P.objects.exists())
        self.assert_nada_escrito()

    @override_settings(
        WAGTAILIMAGES_MAX_UPLOAD_SIZE=MB,
        SUBIDA_LIMITES_POR_RUTA={"/admin/images/": 2 * MB},
    )
    def test_imagen_grande_se_rechaza(self):
        from io import BytesIO

        from PIL import Image

        # Un PNG válido de más de 1 MB: ruido que no se comprime.
        imagen = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
        salida = BytesIO()
        imagen.save(salida, "PNG")
        self.assertGreater(salida.tell(), MB)
        response = self.client_a.post(
            "/admin/images/add/",
            {"title": "Grande", "file": archivo(salida.getvalue(), "grande.png")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "demasiado grande")
        self.assert_413(
            self.client_a.post(
                "/admin/images/add/",
                {"title": "Enorme", "file": archivo(b"0" * 3 * MB, "enorme.png")},
            )
        )
        with self.en_a():
            self.assertFalse(get_image_model().objects.filter(title="Grande").exists())
        self.assert_nada_escrito()

    @override_settings(
        WAGTAILDOCS_MAX_UPLOAD_SIZE=MB,
        SUBIDA_LIMITES_POR_RUTA={"/admin/documents/": 2 * MB},
    )
    def test_documento_grande_se_rechaza(self):
        response = self.client_a.post(
            "/admin/documents/add/",
            {"title": "Grande", "file": archivo(b"0" * (MB + 1), "grande.pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "demasiado grande")
        self.assert_413(
            self.client_a.post(
                "/admin/documents/add/",
                {"title": "Enorme", "file": archivo(b"0" * 3 * MB, "enorme.pdf")},
            )
        )
        with self.en_a():
            self.assertFalse(get_document_model().objects.exists())
        self.assert_nada_escrito()

    def test_foto_de_perfil_enorme_es_413(self):
        response = self.client_a.post(
            "/admin/account/",
            {"avatar-avatar": archivo(CUERPO_ENORME, "yo.png")},
        )
        self.assert_413(response)
        self.assert_nada_escrito()


class SitioPublicoTests(SubidasTestCase):
    def test_logo_de_tenant_enorme_es_413(self):
        tenant = Tenant.objects.get(schema_name="alfa")
        response = self.client_publico.post(
            f"/django-admin/tenants/tenant/{tenant.pk}/change/",
            {"logo": archivo(CUERPO_ENORME, "logo.png")},
        )
        self.assert_413(response)
        tenant.refresh_from_db()
        self.assertFalse(tenant.logo)

    def test_cuerpo_json_enorme_en_xapi_es_413(self):
        response = self.client_a.post(
            "/h5p/xapi/1/1/", CUERPO_ENORME, content_type="application/json"
        )
        self.assert_413(response)


class LimitesPorRutaTests(SubidasTestCase):
    def test_cada_ruta_deja_margen_sobre_el_limite_de_su_campo(self):
        from django.conf import settings

        self.assertGreater(limite_subida("/admin/images/add/"), 5 * MB)
        self.assertGreater(
            limite_subida("/admin/snippets/content/paqueteh5p/add/"),
            settings.H5P_MAX_BYTES,
        )
        self.assertGreater(
            limite_subida("/admin/documents/add/"), settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        )
        self.assertEqual(limite_subida("/encargado/nomina/importar/"), 6 * MB)
