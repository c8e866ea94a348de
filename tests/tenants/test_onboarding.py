"""Un tenant nuevo se pone en marcha por pantallas, sin shell (issue 15, punto 1).

La coordinación MITP crea el tenant en /django-admin/ con el correo de la primera
encargada; ella sigue el enlace del correo en el host del tenant, crea su contraseña,
ingresa, ve «Primeros pasos» sin nada hecho, crea la institución y la unidad en las
pantallas de Wagtail, informa la dotación y ve esos pasos marcados.
"""

from __future__ import annotations

import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from cursos.models import Dotacion, Institucion, Unidad
from indicadores.models import DotacionNacional
from tenants.models import InstitucionCatalogo, Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

URL_ALTA = "/django-admin/tenants/tenant/add/"
CORREO = "Encargada.Nueva@consulado.example"
ENLACE = re.compile(r"https?://(?P<host>[^/\s\"<]+)(?P<ruta>/clave/[^\s\"<]+/)")
CLAVE_NUEVA = "una-clave-larga-y-nueva-2026"
PASOS = [
    "instituciones",
    "unidades",
    "dotacion",
    "nomina",
    "invitaciones",
    "inscripcion",
]


def _paso(html: str, clave: str) -> str:
    """El estado de un paso en el panel: «hecho» o «pendiente»."""
    encontrado = re.search(rf'data-paso="{clave}" class="(\w+)"', html)
    assert encontrado, f"no aparece el paso {clave}"
    return encontrado[1]


class OnboardingTests(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coordinacion = usuario_asegurar(
            username="coordinacion", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )

    def test_alta_invita_a_la_encargada_que_se_pone_en_marcha_por_pantallas(self):
        self.client_publico.force_login(self.coordinacion)
        response = self.client_publico.post(
            URL_ALTA,
            {
                "nombre": "Consulado de Tacna",
                "grupo": Tenant.Grupo.CONSULADOS,
                "pais": "Perú",
                "color_primario": "#0a7f5a",
                "schema_name": "tacna",
                "dominio": "tacna.localhost",
                "correo_encargado": CORREO,
            },
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        # La invitación llega por correo con un enlace en el host del tenant…
        self.assertEqual(len(mail.outbox), 1)
        mensaje = mail.outbox[0]
        self.assertEqual(mensaje.to, [CORREO.lower()])
        self.assertIn("Consulado de Tacna", mensaje.body)
        encontrado = ENLACE.search(mensaje.body)
        self.assertIsNotNone(encontrado, mensaje.body)
        # El host del tenant (con el puerto configurado en CAPACITA_PUERTO).
        self.assertEqual(encontrado["host"].split(":")[0], "tacna.localhost")
        # …y la MITP también lo ve en pantalla.
        pagina = response.content.decode()
        self.assertIn("Se invitó a", pagina)
        enlace_pantalla = ENLACE.search(pagina)
        self.assertIsNotNone(enlace_pantalla)
        self.assertEqual(enlace_pantalla["ruta"], encontrado["ruta"])

        # Los grupos de los roles existen en el tenant nuevo, con sus permisos.
        connection.set_schema_to_public()
        tenant = Tenant.objects.get(schema_name="tacna")
        with tenant_context(tenant):
            nombres = set(Group.objects.values_list("name", flat=True))
            self.assertLessEqual(
                {"funcionario", "encargado", "editor", "Editors", "Moderators"},
                nombres,
            )
            permisos = set(
                Group.objects.get(name="encargado").permissions.values_list(
                    "codename", flat=True
                )
            )
            self.assertLessEqual(
                {"access_admin", "add_institucion", "add_unidad", "add_dotacion"},
                permisos,
            )
        connection.set_schema_to_public()

        # La encargada sigue el enlace, crea su contraseña e ingresa con su correo.
        cliente = Client(HTTP_HOST="tacna.localhost")
        response = cliente.get(encontrado["ruta"])
        self.assertEqual(response.status_code, 302)
        formulario = response["Location"]
        response = cliente.post(
            formulario, {"new_password1": CLAVE_NUEVA, "new_password2": CLAVE_NUEVA}
        )
        self.assertRedirects(response, "/clave/lista/", fetch_redirect_response=False)
        response = cliente.post(
            "/ingresar/", {"username": CORREO, "password": CLAVE_NUEVA}
        )
        self.assertEqual(response.status_code, 302, response.content[:400])

        # Primeros pasos: nada hecho, cada paso con su enlace.
        panel = cliente.get("/encargado/")
        self.assertContains(panel, "Primeros pasos")
        html = panel.content.decode()
        self.assertEqual([_paso(html, p) for p in PASOS], ["pendiente"] * 6)
        self.assertIn('href="/admin/snippets/cursos/institucion/add/"', html)
        self.assertIn('href="/admin/snippets/cursos/unidad/add/"', html)
        # Sin unidades, la dotación lleva a la pantalla real de unidades.
        dotacion = cliente.get("/encargado/dotacion/")
        self.assertContains(dotacion, 'href="/admin/snippets/cursos/unidad/add/"')

        # Crea institución, unidad y dotación en las pantallas de Wagtail.
        connection.set_schema_to_public()
        catalogo = InstitucionCatalogo.objects.order_by("pk").first()
        response = cliente.post(
            "/admin/snippets/cursos/institucion/add/",
            {
                "nombre": "Consulado General de Chile en Tacna",
                "sigla": "CGT",
                "catalogo": catalogo.pk if catalogo else "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[-3000:])
        with tenant_context(tenant):
            institucion = Institucion.objects.get()
        response = cliente.post(
            "/admin/snippets/cursos/unidad/add/",
            {
                "institucion": institucion.pk,
                "nombre": "Sección consular",
                "region": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[-3000:])
        with tenant_context(tenant):
            unidad = Unidad.objects.get()
        # Mujeres más hombres sobre el total: la pantalla lo rechaza.
        response = cliente.post(
            "/admin/snippets/cursos/dotacion/add/",
            {
                "unidad": unidad.pk,
                "anio": 2026,
                "total": 10,
                "femenino": 8,
                "masculino": 8,
            },
        )
        self.assertContains(response, "no puede superar la dotación total")
        response = cliente.post(
            "/admin/snippets/cursos/dotacion/add/",
            {
                "unidad": unidad.pk,
                "anio": 2026,
                "total": 12,
                "femenino": 7,
                "masculino": 5,
            },
        )
        self.assertEqual(response.status_code, 302, response.content[-3000:])
        with tenant_context(tenant):
            self.assertEqual(Dotacion.objects.get().total, 12)
        # La dotación queda publicada para la MITP.
        with schema_context("public"):
            self.assertEqual(
                DotacionNacional.objects.get(tenant_id=tenant.pk, anio=2026).total, 12
            )

        html = cliente.get("/encargado/").content.decode()
        self.assertEqual(
            [_paso(html, p) for p in PASOS],
            ["hecho"] * 3 + ["pendiente"] * 3,
        )

    def test_alta_sin_correo_aprovisiona_grupos_y_no_envia_nada(self):
        self.client_publico.force_login(self.coordinacion)
        response = self.client_publico.post(
            URL_ALTA,
            {
                "nombre": "Consulado de Arica",
                "grupo": Tenant.Grupo.CONSULADOS,
                "pais": "Chile",
                "color_primario": "#0a7f5a",
                "schema_name": "arica",
                "dominio": "arica.localhost",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(mail.outbox, [])
        connection.set_schema_to_public()
        with tenant_context(Tenant.objects.get(schema_name="arica")):
            self.assertTrue(Group.objects.filter(name="encargado").exists())

    def test_comando_crear_tenant_invita_a_la_encargada(self):
        salida = io.StringIO()
        call_command(
            "crear_tenant",
            "iquique",
            "--nombre=Consulado de Iquique",
            "--dominio=iquique.localhost",
            "--grupo=consulados",
            "--correo-encargado=jefa@iquique.example",
            stdout=salida,
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["jefa@iquique.example"])
        enlace = ENLACE.search(mail.outbox[0].body)
        self.assertIn(enlace["ruta"], salida.getvalue())
        connection.set_schema_to_public()
        with tenant_context(Tenant.objects.get(schema_name="iquique")):
            encargada = get_user_model().objects.get(email="jefa@iquique.example")
            self.assertFalse(encargada.has_usable_password())
            self.assertEqual(
                set(encargada.groups.values_list("name", flat=True)), {"encargado"}
            )
