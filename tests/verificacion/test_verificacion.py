from __future__ import annotations

import datetime as dt
import random
from urllib.parse import quote

from django.core.cache import cache
from django.test import Client, override_settings

from certificados import services
from certificados.models import Certificado
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

    def test_con_barra_final_y_codigos_tipeados_a_mano_tambien_verifica(self):
        codigo = self.certificado.codigo
        grupos = self.certificado.codigo_formateado.split("-")
        for texto in (
            f"{codigo}/",
            f"{self.certificado.codigo_formateado.lower()}/",
            " ".join(grupos),  # con espacios (%20 en la URL)
            "–".join(grupos),  # guion tipográfico pegado desde un documento
            codigo.lower().replace("0", "o").replace("1", "l"),  # O→0, L→1
        ):
            with self.subTest(texto=texto):
                response = self._get(quote(texto))
                self.assertContains(response, "Válido")
                self.assertContains(response, "Alice Alfa")
        # La barra final no salva un código con el control errado.
        otro = next(c for c in ALFABETO if c != codigo[-1])
        self._no_valido(f"{codigo[:-1]}{otro}/")

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

    @override_settings(
        CERTIFICADOS_VERIFICACION_LIMITE=2, INGRESO_CABECERA_IP="HTTP_X_REAL_IP"
    )
    def test_detras_de_un_proxy_limita_por_la_ip_real(self):
        # Todas llegan desde la IP del proxy; el límite cuenta la de cada visitante.
        url = f"/verificar/{self.certificado.codigo}"
        for _n in range(2):
            self.client_publico.get(url, HTTP_X_REAL_IP="200.1.1.1")
        limitada = self.client_publico.get(url, HTTP_X_REAL_IP="200.1.1.1")
        self.assertEqual(limitada.status_code, 429)
        otra = self.client_publico.get(url, HTTP_X_REAL_IP="200.2.2.2")
        self.assertEqual(otra.status_code, 200)

    @override_settings(CERTIFICADOS_VERIFICACION_VENTANA=60)
    def test_la_cuenta_de_una_ip_recreada_sin_expiracion_vuelve_a_expirar(self):
        import time_machine

        from verificacion.services import verificacion_limite_superado

        # Lo que deja un INCR de Redis sobre una clave que expiró tras el EXISTS.
        cache.set("verificar-ip:10.0.0.7", 0, timeout=None)
        with time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)) as reloj:
            self.assertFalse(verificacion_limite_superado(ip="10.0.0.7"))
            self.assertEqual(cache.get("verificar-ip:10.0.0.7"), 1)
            reloj.shift(61)
            self.assertIsNone(cache.get("verificar-ip:10.0.0.7"))

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


class PaginaEnCacheTests(CertificadosTestCase):
    """El HTML del resultado se reusa entre visitantes anónimos, pero cualquier cambio
    de la fila pública se ve en la petición siguiente."""

    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()
        self.url = f"/verificar/{self.certificado.codigo}"

    def _anonimo(self):
        # Un cliente nuevo por petición: sin cookies de sesión ni de mensajes.
        return Client(HTTP_HOST="localhost").get(self.url)

    def test_la_segunda_visita_anonima_no_vuelve_a_renderizar(self):
        primera = self._anonimo()
        self.assertContains(primera, "Válido")
        nombres = [t.name for t in primera.templates]
        self.assertIn("verificacion/includes/resultado_cuerpo.html", nombres)
        segunda = self._anonimo()
        self.assertEqual(segunda.content, primera.content)
        self.assertEqual(segunda.templates, [])
        self.assertIn("Cookie", segunda["Vary"])
        self.assertIn("no-store", segunda["Cache-Control"])
        self.assertNotContains(segunda, "csrfmiddlewaretoken")
        # Otro código reusa el marco y solo renderiza su cuerpo.
        otro = self.completar_otro()
        response = Client(HTTP_HOST="localhost").get(f"/verificar/{otro}")
        self.assertEqual(
            [t.name for t in response.templates],
            ["verificacion/includes/resultado_cuerpo.html"],
        )

    def completar_otro(self) -> str:
        from tests.cursos.factories import UsuarioFactory

        with self.en_a():
            usuario = UsuarioFactory(first_name="Otra", last_name="Persona")
            self.completar(usuario)
            return Certificado.objects.get(usuario=usuario).codigo

    def test_la_pagina_armada_es_igual_a_la_renderizada_entera(self):
        armada = self._anonimo().content.decode()
        # Una cookie de sesión que no existe: anónimo, pero por el camino completo.
        completa = Client(HTTP_HOST="localhost")
        completa.cookies["sessionid"] = "no-existe"
        entera = completa.get(self.url)
        self.assertIn("verificacion/resultado.html", [t.name for t in entera.templates])
        self.assertEqual(armada, entera.content.decode())
        self.assertEqual(armada.count("<html"), 1)
        self.assertNotIn("verificacion-cuerpo", armada)

    def test_la_revocacion_se_ve_al_instante_aunque_la_pagina_este_en_cache(self):
        self._anonimo()
        self.assertEqual(self._anonimo().templates, [])  # en caché
        with self.en_a():
            services.certificado_revocar(
                certificado=self.certificado, motivo="Suplantación", por="olga"
            )
        response = self._anonimo()
        self.assertContains(response, "Revocado")
        self.assertContains(response, "Suplantación")
        self.assertNotContains(response, "está vigente")

    def test_un_update_masivo_o_una_edicion_a_mano_tambien_se_ven(self):
        self._anonimo()
        RegistroCertificado.objects.filter(codigo=self.certificado.codigo).update(
            estado="vencido"
        )
        self.assertContains(self._anonimo(), "Vencido")
        RegistroCertificado.objects.filter(codigo=self.certificado.codigo).update(
            titular_nombre="Alicia Alfa"
        )
        self.assertContains(self._anonimo(), "Alicia Alfa")

    def test_el_vencimiento_por_fecha_se_ve_aunque_la_fila_no_cambie(self):
        import time_machine
        from django.utils import timezone

        vence = RegistroCertificado.objects.get(codigo=self.certificado.codigo).vence_el
        # «Válido hasta el <vence>» vale todo ese día: vence a la medianoche siguiente.
        medianoche = dt.datetime.combine(
            vence + dt.timedelta(days=1),
            dt.time(),
            tzinfo=timezone.get_current_timezone(),
        )
        # Veinte segundos antes y después de la medianoche: la página en caché sigue
        # viva (dura más), pero el estado del día cambió.
        with time_machine.travel(medianoche - dt.timedelta(seconds=10), tick=False):
            self._anonimo()
            self.assertContains(self._anonimo(), "Válido")
        with time_machine.travel(medianoche + dt.timedelta(seconds=10), tick=False):
            self.assertContains(self._anonimo(), "Vencido")

    def test_con_sesion_no_se_sirve_la_pagina_anonima(self):
        from tenants.roles import Rol
        from tenants.services import usuario_asegurar

        usuario_asegurar(
            username="coordinacion", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        self._anonimo()
        self.assertEqual(self._anonimo().templates, [])
        self.ingresar(self.client_publico, "coordinacion")
        pagina = self.client_publico.get(self.url)
        self.assertContains(pagina, "Revocar certificado")
        self.assertContains(pagina, "csrfmiddlewaretoken")
        self.assertNotContains(self._anonimo(), "Revocar certificado")


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
