"""Avisos en Chromium: la encargada asigna un curso a una unidad con plazo, la persona
lo ve en «Avisos» del encabezado y en el correo del resumen diario, y se da de baja de
una categoría con el enlace del correo.

El resumen lo corre la tarea diaria en este proceso (modo eager, bandeja locmem),
contra la misma base que usa runserver.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import urlsplit

from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from avisos import tasks
from avisos.models import Aviso, PreferenciaAvisos
from cursos.models import Inscripcion, Institucion, Perfil, Unidad
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import curso_por_clave, rut_valido
from tests.e2e.base import NavegadorTestCase

PREFIJO = "e2e-avisos-"


@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class AvisosNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.addCleanup(self._borrar)
        with schema_context("alfa"):
            usuario_asegurar(
                username=PREFIJO + "olga", password=CLAVE, rol=Rol.ENCARGADO
            )
            self.lucia = usuario_asegurar(
                username=PREFIJO + "lucia",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Lucía",
                last_name="Avisos",
            )
            self.lucia.email = "lucia.e2e@example.cl"
            self.lucia.save(update_fields=["email"])
            institucion = Institucion.objects.create(
                nombre=PREFIJO + "Institución", sigla="E2EAV"
            )
            self.unidad = Unidad.objects.create(
                institucion=institucion, nombre=PREFIJO + "Unidad"
            )
            Perfil.objects.update_or_create(
                usuario=self.lucia,
                defaults={
                    "unidad": self.unidad,
                    "institucion": institucion,
                    "rut": rut_valido(23_456_789),
                },
            )
            self.curso = curso_por_clave("que-es-la-trata")
        self.sitio = self._levantar_servidor()

    def _borrar(self):
        with schema_context("alfa"):
            usuarios = get_user_model().objects.filter(username__startswith=PREFIJO)
            Aviso.objects.filter(usuario__in=usuarios).delete()
            PreferenciaAvisos.objects.filter(usuario__in=usuarios).delete()
            Inscripcion.objects.filter(usuario__in=usuarios).delete()
            Perfil.objects.filter(usuario__in=usuarios).delete()
            usuarios.delete()
            Unidad.objects.filter(nombre__startswith=PREFIJO).delete()
            Institucion.objects.filter(nombre__startswith=PREFIJO).delete()

    def _ingresar(self, navegador, username: str):
        pagina = navegador.new_context(
            viewport={"width": 1280, "height": 800}, locale="es-CL"
        ).new_page()
        pagina.on("pageerror", lambda e: self.errores.append(str(e)))
        pagina.goto(f"{self.sitio}/ingresar/")
        pagina.fill("input[name=username]", username)
        pagina.fill("input[name=password]", CLAVE)
        with pagina.expect_navigation():
            pagina.locator("form:has(input[name=password]) [type=submit]").click()
        return pagina

    def test_asignar_con_plazo_ver_el_aviso_y_darse_de_baja(self):
        self.errores: list[str] = []
        plazo = timezone.localdate() + dt.timedelta(days=3)
        with self.navegador() as navegador:
            olga = self._ingresar(navegador, PREFIJO + "olga")
            olga.goto(f"{self.sitio}/encargado/inscribir/")
            olga.select_option("#id_curso", str(self.curso.pk))
            olga.select_option("#id_unidad", str(self.unidad.pk))
            olga.fill("#id_plazo", plazo.isoformat())
            with olga.expect_navigation():
                olga.get_by_role("button", name="Inscribir").click()
            self.assertIn("1 persona inscrita", olga.locator(".mensajes").inner_text())

            lucia = self._ingresar(navegador, PREFIJO + "lucia")
            lucia.goto(f"{self.sitio}/mis-cursos/")
            enlace = lucia.locator("a.avisos-enlace")
            enlace.locator(".avisos-contador").wait_for(state="visible")
            self.assertEqual(enlace.inner_text().strip(), "Avisos (1)")
            with lucia.expect_navigation():
                enlace.click()
            self.assertIn("Se le asignó el curso", lucia.locator("main").inner_text())

            # La tarea diaria: plazo a 3 días y el curso asignado, en un solo correo.
            mail.outbox = []
            with schema_context("alfa"):
                resultado = tasks.avisos_diario_task.apply().get()
            self.assertEqual(resultado["correos"], 1)
            self.assertEqual(len(mail.outbox), 1)
            cuerpo = mail.outbox[0].body
            self.assertIn("Se le asignó el curso", cuerpo)
            self.assertIn("Quedan 3 días para completar", cuerpo)
            baja = re.search(r"«Plazo por vencer»: (\S+/avisos/baja/\S+/)", cuerpo)
            self.assertIsNotNone(baja, cuerpo)

            # La baja con el enlace del correo, sin sesión (otro contexto).
            anonimo = navegador.new_context(locale="es-CL").new_page()
            anonimo.goto(self.sitio + urlsplit(baja[1]).path)
            with anonimo.expect_navigation():
                anonimo.get_by_role("button", name="Sí, dejar de recibirlos").click()
            self.assertIn("ya no recibirá", anonimo.locator("main").inner_text())

            lucia.goto(f"{self.sitio}/avisos/preferencias/")
            self.assertFalse(lucia.get_by_label("Plazo por vencer").is_checked())
            self.assertTrue(lucia.get_by_label("Curso asignado").is_checked())
        self.assertEqual(self.errores, [])
