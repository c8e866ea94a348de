from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import connection

from cursos.models import Asistencia
from indicadores.models import Hecho
from tests.cursos.importar import xlsx

from .base import IndicadoresTestCase, fecha, jornada_crear


class AsistenciaQrTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.jornada = jornada_crear(
                tema="Jornada QR", acciones=["E3-A1.1"], inicio=fecha(2025, 9, 1, 10)
            )
        self.url = f"/jornadas/asistir/{self.jornada.token}/"
        self.ingresar(self.client_a, "alice")

    def _hechos(self):
        connection.set_schema_to_public()
        return Hecho.objects.filter(acciones__contains=["E3-A1.1"]).count()

    def test_fuera_de_la_ventana_se_rechaza_en_espanol(self):
        with time_machine.travel(fecha(2025, 9, 1, 9, 0), tick=False):
            r = self.client_a.post(self.url)
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "aún no está abierto", status_code=403)
        with time_machine.travel(fecha(2025, 9, 1, 13, 1), tick=False):
            r = self.client_a.post(self.url)
        self.assertContains(r, "La jornada ya terminó", status_code=403)
        self.assertEqual(self._hechos(), 0)

    def test_dentro_de_la_ventana_marca_presente_una_vez(self):
        with time_machine.travel(fecha(2025, 9, 1, 9, 40), tick=False):
            r = self.client_a.post(self.url, follow=True)
            self.assertContains(r, "Asistencia registrada")
            r = self.client_a.post(self.url, follow=True)
            self.assertContains(r, "ya estaba registrada")
        self.assertEqual(self._hechos(), 1)

    def test_sin_sesion_va_al_ingreso_y_token_desconocido_es_404(self):
        from django.test import Client

        r = Client(HTTP_HOST="alfa.localhost").get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn("/ingresar/", r["Location"])
        self.assertEqual(
            self.client_a.get("/jornadas/asistir/no-existe/").status_code, 404
        )

    def test_el_token_de_alfa_no_sirve_en_beta(self):
        self.ingresar(self.client_b, "bob")
        self.assertEqual(self.client_b.get(self.url).status_code, 404)

    def test_qr_svg_y_ventana(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get(f"/encargado/jornadas/{self.jornada.pk}/qr/")
        self.assertContains(r, "<svg")
        self.assertContains(r, self.jornada.token)
        desde, hasta = self.jornada.ventana()
        self.assertEqual(hasta - desde, timedelta(hours=3, minutes=30))


class JornadasEncargadoTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "olga")

    def test_crea_jornada_con_acciones_del_plan(self):
        r = self.client_a.post(
            "/encargado/jornadas/",
            {
                "tema": "Fiscalizaciones",
                "inicio": "2025-10-01T09:00",
                "fin": "2025-10-01T12:00",
                "lugar": "Arica",
                "region": "arica",
                "modalidad": "presencial",
                "horas": "3",
                "relator": "Inspección del Trabajo",
                "acciones_plan": "E3-A1.1, E1-A2.4",
            },
        )
        self.assertEqual(r.status_code, 302)
        with self.en_a():
            from cursos.models import Jornada

            j = Jornada.objects.get(tema="Fiscalizaciones")
            self.assertEqual(j.acciones_plan, ["E3-A1.1", "E1-A2.4"])
            self.assertGreaterEqual(len(j.token), 32)

    def _jornada_post(self, acciones):
        return self.client_a.post(
            "/encargado/jornadas/",
            {
                "tema": "Códigos",
                "inicio": "2025-10-01T09:00",
                "fin": "2025-10-01T12:00",
                "modalidad": "presencial",
                "horas": "3",
                "acciones_plan": acciones,
            },
        )

    def test_codigo_fuera_del_plan_se_rechaza_en_espanol(self):
        r = self._jornada_post(["E9-A9.9"])
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "E9-A9.9 no es una acción del Plan de Acción Nacional.")
        with self.en_a():
            from cursos.models import Jornada

            self.assertFalse(Jornada.objects.filter(tema="Códigos").exists())

    def test_codigo_en_minusculas_se_guarda_en_mayusculas_y_cuenta(self):
        r = self._jornada_post(["e3-a1.2"])
        self.assertEqual(r.status_code, 302)
        with self.en_a():
            from cursos.models import Jornada

            self.assertEqual(
                Jornada.objects.get(tema="Códigos").acciones_plan, ["E3-A1.2"]
            )

    def test_el_formulario_ofrece_las_acciones_del_plan(self):
        r = self.client_a.get("/encargado/jornadas/")
        self.assertContains(r, '<option value="E1-A1.10">')
        self.assertContains(r, '<option value="E4-A3.1">')

    def test_fin_antes_del_inicio_se_rechaza(self):
        r = self.client_a.post(
            "/encargado/jornadas/",
            {
                "tema": "X",
                "inicio": "2025-10-01T09:00",
                "fin": "2025-10-01T08:00",
                "modalidad": "presencial",
                "horas": "1",
            },
        )
        self.assertContains(r, "El término debe ser posterior al inicio.")

    def test_asistencia_desde_planilla(self):
        from .base import R1, R2

        planilla = xlsx(
            [
                ["RUT", "Nombre"],
                [R1, "Ana"],
                [R2, "Bruno"],
                ["1-9", "x"],
                ["9.999.999-3", "Nadie"],
                [R1, "Ana otra vez"],
            ]
        )
        with self.en_a():
            j = jornada_crear(
                tema="J3", acciones=["E3-A1.2"], inicio=fecha(2025, 8, 1, 9)
            )
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.cursos.importar import importar_por_pantalla, planilla_errores_filas

        url = f"/encargado/jornadas/{j.pk}/"
        archivo = SimpleUploadedFile("asistencia.xlsx", planilla.getvalue())
        # Todo o nada: con filas malas no se registra a nadie y la planilla de errores
        # dice qué corregir en cada una.
        pagina, destino = importar_por_pantalla(
            self, self.client_a, url, archivo, en=self.en_a
        )
        self.assertContains(pagina, "3 filas tienen errores")
        self.assertNotContains(pagina, R1)
        errores = planilla_errores_filas(self.client_a, destino)
        mensajes = {fila[0]: fila[-1] for fila in errores[1:]}
        self.assertIn("RUT inválido", mensajes[4])
        self.assertIn("no está en la nómina", mensajes[5])
        self.assertIn("duplicada", mensajes[6])
        self.assertEqual(set(mensajes), {4, 5, 6})
        with self.en_a():
            self.assertFalse(Asistencia.objects.filter(jornada=j).exists())
        # Corregida, se registra completa.
        buena = xlsx([["RUT", "Nombre"], [R1, "Ana"], [R2, "Bruno"]])
        archivo = SimpleUploadedFile("asistencia.xlsx", buena.getvalue())
        pagina, _destino = importar_por_pantalla(
            self, self.client_a, url, archivo, en=self.en_a
        )
        self.assertContains(pagina, "2 personas nuevas")
