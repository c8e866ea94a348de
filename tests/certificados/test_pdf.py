from __future__ import annotations

import io

import zxingcpp
from pypdf import PdfReader

from certificados.documentos import certificado_pdf_generar
from certificados.models import ConfiguracionCertificados
from tests.certificados.base import RUT_ALICE, CertificadosTestCase


class PdfTests(CertificadosTestCase):
    def _pdf(self):
        certificado = self.certificado_de_alice()
        with self.en_a():
            configuracion = ConfiguracionCertificados.load()
            configuracion.firmante_nombre = "Ana Firmante"
            configuracion.firmante_cargo = "Jefa de Capacitación"
            configuracion.save()
            contenido = certificado_pdf_generar(certificado, tenant=self.tenant_a)
        return certificado, PdfReader(io.BytesIO(contenido))

    def test_el_pdf_es_a4_apaisado_y_contiene_nombre_curso_codigo_y_firma(self):
        certificado, lector = self._pdf()
        self.assertEqual(len(lector.pages), 1)
        pagina = lector.pages[0]
        ancho, alto = float(pagina.mediabox.width), float(pagina.mediabox.height)
        self.assertAlmostEqual(ancho, 841.89, places=1)
        self.assertAlmostEqual(alto, 595.28, places=1)
        texto = pagina.extract_text()
        self.assertIn("Alice Alfa", texto)
        self.assertIn(self.curso.title, " ".join(texto.split()))
        self.assertIn(certificado.codigo_formateado, texto)
        self.assertIn("CERTIFICADO", texto)
        self.assertIn("Se certifica que", texto)
        self.assertIn("Ana Firmante", texto)
        self.assertIn("Jefa de Capacitación", texto)
        self.assertIn("Válido hasta el", texto)
        self.assertIn("Tenant alfa", texto)

    def test_el_pdf_no_lleva_rut(self):
        _certificado, lector = self._pdf()
        texto = lector.pages[0].extract_text()
        self.assertNotIn(RUT_ALICE, texto)
        self.assertNotIn(RUT_ALICE.split("-")[0], texto)

    def test_el_qr_se_decodifica_a_la_url_de_verificacion_publica(self):
        certificado, lector = self._pdf()
        imagenes = lector.pages[0].images
        leidos = [
            resultado.text
            for imagen in imagenes
            for resultado in zxingcpp.read_barcodes(imagen.image)
        ]
        self.assertEqual(
            leidos, [f"http://localhost:8000/verificar/{certificado.codigo}"]
        )
