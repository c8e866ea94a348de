"""Un tenant nuevo se pone en marcha solo por pantallas, en Chromium (issue 15).

La MITP crea el tenant con el correo de la primera encargada y copia el enlace de
activación que le muestra el admin; la encargada lo abre en el host del tenant, crea
su contraseña, ingresa con su correo, ve «Primeros pasos» sin nada hecho, crea la
institución y la unidad en el admin de Wagtail, informa la dotación y ve esos tres
pasos marcados. Nada de lo que crea una persona se crea por el ORM.
"""

from __future__ import annotations

import os
import re

from django.conf import global_settings
from django.contrib.admin.models import LogEntry
from django.db import connection, connections
from django.test import override_settings

from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import tenant_eliminar, usuario_asegurar
from tests.base import CLAVE
from tests.e2e.base import (
    NavegadorTestCase,
    cuentas_publicas_borrar,
    grupo_publico_conservado,
)

SCHEMA = "onboardinge2e"
DOMINIO = "onboardinge2e.localhost"
NOMBRE = "Consulado Onboarding E2E"
MITP = "e2e-onboarding-mitp"
CORREO = "encargada.e2e@consulado.example"
CLAVE_NUEVA = "clave-nueva-de-la-encargada-2026"
PASOS = [
    "instituciones",
    "unidades",
    "dotacion",
    "nomina",
    "invitaciones",
    "inscripcion",
]


@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class OnboardingNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.addCleanup(self._borrar_datos)
        self.enterContext(grupo_publico_conservado(Rol.COORDINADOR_MITP.value))
        usuario_asegurar(username=MITP, password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self._levantar_servidor()
        self.publico = f"http://localhost:{self.puerto}"
        self.sitio = f"http://{DOMINIO}:{self.puerto}"

    def _borrar_datos(self):
        connection.set_schema_to_public()
        if Tenant.objects.filter(schema_name=SCHEMA).exists():
            tenant_eliminar(schema_name=SCHEMA)
        LogEntry.objects.filter(user__username=MITP).delete()
        cuentas_publicas_borrar([MITP])

    def _pasos(self, pagina) -> list[str]:
        return [
            pagina.locator(f"li[data-paso={p}]").get_attribute("class") for p in PASOS
        ]

    def test_la_mitp_crea_el_tenant_y_la_encargada_lo_pone_en_marcha(self):
        errores: list[str] = []
        with self.navegador() as navegador:

            def contexto():
                pagina = navegador.new_context(
                    viewport={"width": 1280, "height": 800}, locale="es-CL"
                ).new_page()
                pagina.on("pageerror", lambda e: errores.append(str(e)))
                return pagina

            try:
                mitp = contexto()
                mitp.goto(f"{self.publico}/ingresar/")
                mitp.fill("input[name=username]", MITP)
                mitp.fill("input[name=password]", CLAVE)
                with mitp.expect_navigation():
                    mitp.locator("form:has(input[name=password]) [type=submit]").click()
                mitp.goto(f"{self.publico}/django-admin/tenants/tenant/add/")
                mitp.fill("#id_nombre", NOMBRE)
                mitp.select_option("#id_grupo", Tenant.Grupo.CONSULADOS.value)
                mitp.fill("#id_schema_name", SCHEMA)
                mitp.fill("#id_dominio", DOMINIO)
                mitp.fill("#id_correo_encargado", CORREO)
                with mitp.expect_navigation(timeout=60_000):
                    mitp.locator("input[name=_save]").click()
                aviso = mitp.locator(".messagelist").inner_text()
                self.assertIn("Se invitó a", aviso)
                enlace = re.search(r"https?://\S+/clave/\S+/", aviso)
                self.assertIsNotNone(enlace, aviso)
                self.assertIn(f"//{DOMINIO}:{self.puerto}/", enlace[0])

                encargada = contexto()
                encargada.goto(enlace[0])
                encargada.fill("#id_new_password1", CLAVE_NUEVA)
                encargada.fill("#id_new_password2", CLAVE_NUEVA)
                with encargada.expect_navigation():
                    encargada.get_by_role("button", name="Guardar contraseña").click()
                self.assertIn("/clave/lista/", encargada.url)
                encargada.goto(f"{self.sitio}/ingresar/")
                encargada.fill("input[name=username]", CORREO)
                encargada.fill("input[name=password]", CLAVE_NUEVA)
                with encargada.expect_navigation():
                    encargada.locator(
                        "form:has(input[name=password]) [type=submit]"
                    ).click()
                encargada.goto(f"{self.sitio}/encargado/")
                self.assertEqual(self._pasos(encargada), ["pendiente"] * 6)

                # Institución y unidad, desde los enlaces de los primeros pasos.
                encargada.locator("li[data-paso=instituciones] a").click()
                encargada.wait_for_load_state()
                encargada.fill("#id_nombre", "Consulado General E2E")
                encargada.fill("#id_sigla", "CGE2E")
                with encargada.expect_navigation():
                    encargada.locator("button.action-save").click()
                self.assertIn("/admin/snippets/cursos/institucion/", encargada.url)
                encargada.goto(f"{self.sitio}/encargado/")
                encargada.locator("li[data-paso=unidades] a").click()
                encargada.wait_for_load_state()
                encargada.select_option("#id_institucion", label="CGE2E")
                encargada.fill("#id_nombre", "Sección consular E2E")
                with encargada.expect_navigation():
                    encargada.locator("button.action-save").click()
                self.assertIn("/admin/snippets/cursos/unidad/", encargada.url)

                encargada.goto(f"{self.sitio}/encargado/")
                encargada.locator("li[data-paso=dotacion] a").click()
                encargada.wait_for_load_state()
                encargada.locator("input[name^=total_]").first.fill("12")
                with encargada.expect_navigation():
                    encargada.get_by_role("button", name="Guardar dotación").click()
                encargada.goto(f"{self.sitio}/encargado/")
                self.assertEqual(
                    self._pasos(encargada), ["hecho"] * 3 + ["pendiente"] * 3
                )
            finally:
                connections.close_all()
        self.assertEqual(errores, [])
