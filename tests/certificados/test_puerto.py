"""Con `make run PORT=8123`, todo enlace absoluto lleva :8123.

El QR del PDF, el enlace de verificación, el Open Badge, el correo del certificado y
el listado de la demo apuntaban a :8000: ``CERTIFICADOS_URL_PUBLICA`` se armaba al
cargar los settings y el Makefile no pasaba PORT. Ahora se arman al momento desde
``CAPACITA_PUERTO`` (tenants/enlaces.py), que el Makefile fija igual a PORT.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from io import StringIO

import jwt
import zxingcpp
from django.conf import settings
from django.core import mail
from django.test import SimpleTestCase, override_settings
from pypdf import PdfReader

from demo.management.commands.crear_demo import Command as CrearDemo
from tenants.models import Tenant
from tests.certificados.base import CertificadosTestCase

PUERTO = "8123"


def _qr_leidos(pdf: bytes) -> list[str]:
    pagina = PdfReader(io.BytesIO(pdf)).pages[0]
    return [r.text for i in pagina.images for r in zxingcpp.read_barcodes(i.image)]


@override_settings(CAPACITA_PUERTO=PUERTO)
class PuertoEnlacesTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()
        self.verificacion = (
            f"http://localhost:{PUERTO}/verificar/{self.certificado.codigo}"
        )

    def test_el_correo_y_su_pdf_llevan_el_puerto_real(self):
        self.assertEqual(len(mail.outbox), 1)
        correo = mail.outbox[0]
        self.assertIn(self.verificacion, correo.body)
        self.assertIn(f"http://alfa.localhost:{PUERTO}/certificados/", correo.body)
        self.assertNotIn(":8000", correo.body)
        html = correo.alternatives[0][0]
        self.assertIn(f'href="{self.verificacion}"', html)
        _nombre, adjunto, _tipo = correo.attachments[0]
        self.assertEqual(_qr_leidos(adjunto), [self.verificacion])

    def test_pdf_openbadge_y_mis_certificados_llevan_el_puerto_real(self):
        self.ingresar(self.client_a, "alice")
        pdf = self.client_a.get(f"/certificados/{self.certificado.pk}/pdf/")
        self.assertEqual(_qr_leidos(pdf.content), [self.verificacion])
        self.assertIn(
            self.verificacion,
            PdfReader(io.BytesIO(pdf.content))
            .pages[0]
            .extract_text()
            .replace("\n", ""),
        )

        token = self.client_a.get(
            f"/certificados/{self.certificado.pk}/openbadge/"
        ).content.decode()
        vc = jwt.decode(token, options={"verify_signature": False})["vc"]
        self.assertEqual(vc["id"], self.verificacion)
        self.assertEqual(vc["issuer"]["id"], f"http://localhost:{PUERTO}/")
        self.assertNotIn(":8000", json.dumps(vc))

        lista = self.client_a.get("/certificados/")
        self.assertContains(lista, f'href="{self.verificacion}"')

        # El enlace del QR abre la verificación en el sitio público.
        verificar = self.client_publico.get(f"/verificar/{self.certificado.codigo}")
        self.assertEqual(verificar.status_code, 200)

    def test_el_listado_de_la_demo_lleva_el_puerto_real(self):
        salida = StringIO()
        comando = CrearDemo(stdout=salida)
        publico = Tenant.objects.get(schema_name="public")
        comando.ingresos_escribir([(publico, "coordinacion"), (self.tenant_a, "ana")])
        texto = salida.getvalue()
        self.assertIn(
            f"http://localhost:{PUERTO}/ingresar/  usuario: coordinacion", texto
        )
        self.assertIn(f"http://alfa.localhost:{PUERTO}/ingresar/  usuario: ana", texto)
        self.assertNotIn(":8000", texto)


class MakefilePuertoTests(SimpleTestCase):
    def test_make_exporta_port_como_capacita_puerto(self):
        """Las recetas (runserver, worker, crear_demo) ven CAPACITA_PUERTO = PORT."""
        entorno = {k: v for k, v in os.environ.items() if k != "CAPACITA_PUERTO"}
        salida = subprocess.run(
            ["make", "-s", "--eval", 'imprimir: ; @echo "$$CAPACITA_PUERTO"']
            + ["imprimir", f"PORT={PUERTO}"],
            cwd=settings.BASE_DIR,
            env=entorno,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(salida.stdout.strip(), PUERTO, salida.stderr)
