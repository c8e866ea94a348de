"""«Mis datos»: la persona descarga todo lo suyo (JSON e imprimible), auditado."""

from __future__ import annotations

import json

from content.models import RegistroAuditoria

from .base import PrivacidadTestCase
from .datos import APELLIDOS, CORREO, NOMBRES, RUT

JSON = "/mis-datos/descargar.json"
HTML = "/mis-datos/imprimible/"


class MisDatosTests(PrivacidadTestCase):
    def test_el_json_trae_cada_tipo_de_dato(self):
        self.ingresar(self.client_a, "alice")
        r = self.client_a.get(JSON)
        self.assertEqual(r.status_code, 200)
        self.assertIn("attachment", r["Content-Disposition"])
        datos = json.loads(r.content)
        perfil = datos["perfil"]
        self.assertEqual(
            (perfil["nombres"], perfil["apellidos"], perfil["correo"], perfil["rut"]),
            (NOMBRES, APELLIDOS, CORREO, RUT),
        )
        self.assertEqual(perfil["unidad"], "Prefectura Privada")
        self.assertEqual(
            datos["inscripciones"][0]["curso"], self.certificado.curso_titulo
        )
        self.assertTrue(datos["inscripciones"][0]["completado_el"])
        self.assertGreaterEqual(len(datos["lecciones_completadas"]), 1)
        self.assertTrue(any(i["aprobado"] for i in datos["intentos"]))
        self.assertEqual(datos["resultados_h5p"][0]["actividad"], "Caso H5P")
        self.assertEqual(
            datos["certificados"][0]["codigo"], self.certificado.codigo_formateado
        )
        self.assertEqual(datos["asistencias"][0]["jornada"], "Jornada de privacidad")
        self.assertEqual(len(datos["avisos"]["lista"]), 1)
        acciones = {e["accion"] for e in datos["auditoria"]}
        self.assertIn("Cambio de roles", acciones)

    def test_cada_descarga_queda_en_la_bitacora(self):
        self.ingresar(self.client_a, "alice")
        self.client_a.get(JSON)
        self.client_a.get(HTML)
        with self.en_a():
            formatos = sorted(
                e.data["formato"]
                for e in RegistroAuditoria.objects.filter(
                    action="capacita.privacidad.exportacion", user=self.alice
                )
            )
            self.assertEqual(formatos, ["html", "json"])
            for entrada in RegistroAuditoria.objects.all():
                self.assertNotIn(RUT, json.dumps(entrada.data) + entrada.label)

    def test_la_version_imprimible_muestra_sus_datos_y_su_rut(self):
        self.ingresar(self.client_a, "alice")
        r = self.client_a.get(HTML)
        self.assertContains(r, APELLIDOS)
        self.assertContains(r, RUT)
        self.assertContains(r, "Jornada de privacidad")
        self.assertContains(r, self.certificado.codigo_formateado)

    def test_el_pdf_trae_sus_datos_y_queda_auditado(self):
        import io

        from pypdf import PdfReader

        self.ingresar(self.client_a, "alice")
        r = self.client_a.get("/mis-datos/descargar.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        lector = PdfReader(io.BytesIO(r.content))
        texto = " ".join(p.extract_text() for p in lector.pages)
        for dato in (APELLIDOS, RUT, CORREO, "Jornada de privacidad"):
            self.assertIn(dato, texto)
        self.assertIn(self.certificado.codigo_formateado, texto)
        with self.en_a():
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.privacidad.exportacion", data__formato="pdf"
                ).exists()
            )

    def test_el_perfil_enlaza_a_mis_datos(self):
        self.ingresar(self.client_a, "alice")
        self.assertContains(self.client_a.get("/perfil/"), 'href="/mis-datos/"')

    def test_sin_sesion_pide_ingresar(self):
        r = self.client_a.get(JSON)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/ingresar/", r["Location"])

    def test_otra_persona_solo_descarga_lo_suyo(self):
        self.ingresar(self.client_a, "edu")
        datos = json.loads(self.client_a.get(JSON).content)
        self.assertEqual(datos["perfil"]["usuario"], "edu")
        self.assertNotIn(APELLIDOS, json.dumps(datos, ensure_ascii=False))
        self.assertEqual(datos["certificados"], [])

    def test_la_sesion_de_un_tenant_no_abre_los_datos_en_otro(self):
        self.ingresar(self.client_a, "alice")
        self.client_b.cookies = self.client_a.cookies
        r = self.client_b.get(JSON)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/ingresar/", r["Location"])
