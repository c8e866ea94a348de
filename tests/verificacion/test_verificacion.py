from __future__ import annotations

import random

from django.core.cache import cache
from django.test import Client, override_settings

from certificados import services
from tests.base import CLAVE
from tests.certificados.base import RUT_ALICE, CertificadosTestCase
from verificacion.codigos import ALFABETO, codigo_formatear, codigo_generar
from verificacion.models import RegistroCertificado


class VerificacionTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()

    def _get(self, codigo: str):
        return self.client_publico.get(f"/verificar/{codigo}")

    def test_valido_muestra_titular_curso_institucion_y_fechas_sin_ingresar(self):
        response = self._get(self.certificado.codigo)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Válido")
        self.assertContains(response, "Alice Alfa")
        self.assertContains(response, self.curso.title, html=False)
        self.assertContains(response, "Tenant alfa")
        self.assertContains(response, "Emitido el")
        self.assertContains(response, "Válido hasta")
        self.assertContains(response, self.certificado.codigo_formateado)
        self.assertNotContains(response, RUT_ALICE)
        self.assertNotContains(response, "alice@example.cl")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_el_codigo_con_guiones_y_minusculas_tambien_verifica(self):
        response = self._get(self.certificado.codigo_formateado.lower())
        self.assertContains(response, "Válido")

    def test_formulario_redirige_al_resultado(self):
        self.assertContains(self.client_publico.get("/verificar/"), 'name="codigo"')
        response = self.client_publico.get(
            "/verificar/", {"codigo": self.certificado.codigo_formateado}
        )
        self.assertRedirects(
            response,
            f"/verificar/{self.certificado.codigo}",
            fetch_redirect_response=False,
        )

    def test_revocado_muestra_el_motivo(self):
        with self.en_a():
            services.certificado_revocar(
                certificado=self.certificado, motivo="Fraude en la evaluación", por="x"
            )
        response = self._get(self.certificado.codigo)
        self.assertContains(response, "Revocado")
        self.assertContains(response, "Fraude en la evaluación")

    def test_vencido_y_reemplazado(self):
        registro = RegistroCertificado.objects.get(codigo=self.certificado.codigo)
        registro.estado = "vencido"
        registro.save()
        self.assertContains(self._get(registro.codigo), "Vencido")
        registro.estado = "reemplazado"
        registro.save()
        self.assertContains(self._get(registro.codigo), "Reemplazado")

    def _no_valido(self, texto: str):
        response = self._get(texto)
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Certificado no válido", status_code=404)
        self.assertNotContains(response, "Alice", status_code=404)
        return response

    def test_codigo_adulterado_control_errado_y_al_azar_son_no_validos(self):
        codigo = self.certificado.codigo
        # Control errado: el mismo código con otro carácter de control.
        otro = next(c for c in ALFABETO if c != codigo[-1])
        self._no_valido(codigo[:-1] + otro)
        # Adulterado: un símbolo de datos cambiado (el control lo delata).
        cambio = next(c for c in ALFABETO if c != codigo[3])
        self._no_valido(codigo[:3] + cambio + codigo[4:])
        # Al azar pero bien formado (control correcto): no existe.
        self._no_valido(codigo_generar())
        self._no_valido("".join(random.choices(ALFABETO, k=16)))
        self._no_valido("hola")
        # El formulario da la misma respuesta genérica.
        response = self.client_publico.get("/verificar/", {"codigo": "XXXX-YYYY"})
        self.assertContains(response, "Certificado no válido", status_code=404)

    def test_el_control_errado_se_rechaza_sin_consultar_la_base(self):
        codigo = self.certificado.codigo
        otro = next(c for c in ALFABETO if c != codigo[-1])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as consultas:
            self._no_valido(codigo[:-1] + otro)
        self.assertFalse(
            any("verificacion_registro" in q["sql"] for q in consultas.captured_queries)
        )

    @override_settings(CERTIFICADOS_VERIFICACION_LIMITE=5)
    def test_limite_por_ip_responde_429_en_castellano(self):
        cache.clear()
        for _n in range(5):
            self.assertEqual(self._get(self.certificado.codigo).status_code, 200)
        response = self._get(self.certificado.codigo)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Demasiadas consultas", status_code=429)
        self.assertEqual(response["Retry-After"], "60")
        # Otra IP no está limitada.
        otra = self.client_publico.get(
            f"/verificar/{self.certificado.codigo}", REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(otra.status_code, 200)

    def test_jwks_publico(self):
        response = self.client_publico.get("/.well-known/jwks.json")
        self.assertEqual(response.status_code, 200)
        clave = response.json()["keys"][0]
        self.assertEqual(
            (clave["kty"], clave["crv"], clave["alg"]), ("OKP", "Ed25519", "EdDSA")
        )
        self.assertNotIn("d", clave)

    def test_la_verificacion_no_existe_en_el_sitio_del_tenant(self):
        response = self.client_a.get(
            f"/verificar/{self.certificado.codigo}", follow=True
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Alice Alfa", status_code=404)


class RevocacionMitpTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()
        from tenants.roles import Rol
        from tenants.services import usuario_asegurar

        usuario_asegurar(
            username="coordinacion", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        usuario_asegurar(username="mirona", password=CLAVE, rol=Rol.FUNCIONARIO)

    def test_la_coordinacion_mitp_revoca_desde_el_sitio_publico(self):
        self.ingresar(self.client_publico, "coordinacion")
        pagina = self.client_publico.get(f"/verificar/{self.certificado.codigo}")
        self.assertContains(pagina, "Revocar certificado")
        response = self.client_publico.post(
            f"/verificar/{self.certificado.codigo}/revocar",
            {"motivo": "Revocado por resolución MITP"},
            follow=True,
        )
        self.assertContains(response, "Revocado por resolución MITP")
        self.assertContains(response, "El certificado quedó revocado.")
        with self.en_a():
            self.certificado.refresh_from_db()
        self.assertEqual(self.certificado.estado, "revocado")
        self.assertEqual(self.certificado.revocado_por, "coordinacion")
        self.ingresar(self.client_a, "alice")
        self.assertContains(self.client_a.get("/certificados/"), "Revocado")

    def test_sin_rol_no_puede_revocar(self):
        self.ingresar(self.client_publico, "mirona")
        pagina = self.client_publico.get(f"/verificar/{self.certificado.codigo}")
        self.assertNotContains(pagina, "Revocar certificado")
        response = self.client_publico.post(
            f"/verificar/{self.certificado.codigo}/revocar", {"motivo": "x"}
        )
        self.assertEqual(response.status_code, 403)
        anonimo = Client(HTTP_HOST="localhost").post(
            f"/verificar/{self.certificado.codigo}/revocar", {"motivo": "x"}
        )
        self.assertEqual(anonimo.status_code, 302)
        self.assertIn("/ingresar/", anonimo["Location"])
        self.assertContains(
            self.client_publico.get(f"/verificar/{self.certificado.codigo}"), "Válido"
        )

    def test_codigo_formateado_en_pantalla(self):
        pagina = self.client_publico.get(f"/verificar/{self.certificado.codigo}")
        self.assertContains(pagina, codigo_formatear(self.certificado.codigo))
