"""Retención: la política del tenant, el informe de simulación y su aplicación."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from privacidad.models import PoliticaRetencion
from privacidad.services import rectificacion_solicitar
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

RETENCION = "/encargado/privacidad/retencion/"


class RetencionTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        hace_tres = timezone.now() - dt.timedelta(days=3 * 366)
        with self.en_a():
            self.inactiva = usuario_asegurar(
                username="inactiva",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Ines",
                last_name="Inactiva",
            )
            # Una cuenta creada e ingresada por última vez hace tres años.
            type(self.inactiva).objects.filter(pk=self.inactiva.pk).update(
                date_joined=hace_tres, last_login=hace_tres
            )

    def politica(self, anios: int) -> None:
        """La encargada fija la política en su pantalla."""
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(
            RETENCION, {"accion": "guardar", "anios_inactividad": anios}
        )
        self.assertRedirects(r, RETENCION, fetch_redirect_response=False)
        with self.en_a():
            self.assertEqual(PoliticaRetencion.load().anios_inactividad, anios)

    def test_sin_politica_no_se_lista_nada(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get(RETENCION)
        self.assertContains(r, "No hay una política de retención")
        self.assertNotContains(r, "Inactiva")

    def test_la_simulacion_lista_solo_las_inactivas_y_no_cambia_nada(self):
        self.politica(2)
        self.ingresar(self.client_a, "olga")
        html = self.client_a.get(RETENCION).content.decode()
        lista = html.split('aria-labelledby="simulacion"')[1].split("</ul>")[0]
        self.assertIn("Ines Inactiva", lista)
        for activa in ("Alice Alfa", "Olga Alfa", "Edu Alfa"):
            self.assertNotIn(activa, lista)
        with self.en_a():
            self.inactiva.refresh_from_db()
            self.assertEqual(self.inactiva.last_name, "Inactiva")

    def test_la_actividad_reciente_saca_a_la_persona_del_informe(self):
        self.politica(2)
        with self.en_a():
            rectificacion_solicitar(
                usuario=self.inactiva, campo="cargo", valor="x", motivo="y"
            )
            from cursos.services import inscripcion_crear
            from tests.cursos.factories import curso_por_clave

            inscripcion_crear(
                usuario=self.inactiva, curso=curso_por_clave("que-es-la-trata")
            )
        self.ingresar(self.client_a, "olga")
        self.assertNotContains(self.client_a.get(RETENCION), "Ines Inactiva")

    def test_aplicar_anonimiza_las_inactivas(self):
        self.politica(2)
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(RETENCION, {"accion": "aplicar"})
        self.assertRedirects(r, RETENCION, fetch_redirect_response=False)
        with self.en_a():
            self.inactiva.refresh_from_db()
            self.assertEqual(self.inactiva.last_name, "")
            self.assertFalse(self.inactiva.is_active)
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, "Alfa")

    def test_el_comando_simula_y_aplica(self):
        self.politica(2)
        salida = StringIO()
        with self.en_a():
            call_command("aplicar_retencion", stdout=salida)
            self.assertIn("1 cuentas inactivas", salida.getvalue())
            self.inactiva.refresh_from_db()
            self.assertEqual(self.inactiva.last_name, "Inactiva")
            call_command("aplicar_retencion", "--aplicar", stdout=salida)
            self.inactiva.refresh_from_db()
            self.assertEqual(self.inactiva.last_name, "")

    def test_solo_la_encargada(self):
        self.politica(2)
        for usuario in ("alice", "edu"):
            self.ingresar(self.client_a, usuario)
            self.assertEqual(self.client_a.get(RETENCION).status_code, 403)
            r = self.client_a.post(RETENCION, {"accion": "aplicar"})
            self.assertEqual(r.status_code, 403)
        with self.en_a():
            self.inactiva.refresh_from_db()
            self.assertEqual(self.inactiva.last_name, "Inactiva")


class RetencionServidorTests(CapacitaTestCase):
    @override_settings(CAPACITA_RETENCION_ANIOS=4)
    def test_sin_politica_del_tenant_vale_la_del_servidor(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get(RETENCION)
        self.assertContains(r, "sin actividad durante 4 años")
