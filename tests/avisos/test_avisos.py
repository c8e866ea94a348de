"""Avisos: asignación con plazo, lista del encabezado, resumen diario y bajas.

Todo lo que hace una persona pasa por las pantallas (cliente de Django sobre las vistas
reales); la tarea diaria corre en el proceso (modo eager) con el tiempo congelado.
"""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from avisos import selectors, services, tasks
from avisos.models import Aviso, PreferenciaAvisos
from cursos.models import Inscripcion
from tests.base import DOMINIO_A, DOMINIO_B, CapacitaTestCase
from tests.cursos.factories import PerfilFactory, UnidadFactory, curso_por_clave

# Lunes 1 de marzo de 2027, 10:00 en Chile (13:00 UTC).
HOY = dt.datetime(2027, 3, 1, 13, 0, tzinfo=dt.UTC)


def _baja_url(cuerpo: str) -> str:
    enlaces = re.findall(r"https?://[^\s\"<>]+/avisos/baja/[^\s\"<>]+/", cuerpo)
    assert enlaces, cuerpo
    return enlaces[0]


class AvisosTestCase(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tenant_context(cls.tenant_a):
            cls.curso = curso_por_clave("que-es-la-trata")
            cls.unidad = UnidadFactory(nombre="Primera Comisaría")
            cls.otra = UnidadFactory(nombre="Segunda Comisaría")
            PerfilFactory(usuario=cls.alice, unidad=cls.unidad)
            cls.alice.email = "alice@example.cl"
            cls.alice.save(update_fields=["email"])
        with tenant_context(cls.tenant_b):
            cls.bob.email = "bob@example.cl"
            cls.bob.save(update_fields=["email"])

    def setUp(self):
        super().setUp()
        cache.clear()
        mail.outbox = []

    def asignar_unidad(self, plazo: dt.date | None, unidad=None):
        self.ingresar(self.client_a, "olga")
        datos = {"curso": self.curso.pk, "unidad": (unidad or self.unidad).pk}
        if plazo is not None:
            datos["plazo"] = plazo.isoformat()
        with self.captureOnCommitCallbacks(execute=True):
            return self.client_a.post("/encargado/inscribir/", datos, follow=True)

    def diario(self):
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            return tasks.avisos_diario_task.apply().get()

    def contador(self, client) -> int:
        return client.get("/avisos/contador/").json()["no_leidos"]


class AsignacionYEncabezadoTests(AvisosTestCase):
    def test_la_encargada_asigna_con_plazo_y_la_persona_lo_ve_en_avisos(self):
        with time_machine.travel(HOY):
            respuesta = self.asignar_unidad(dt.date(2027, 3, 20))
            self.assertContains(respuesta, "1 persona inscrita")
            with self.en_a():
                inscripcion = Inscripcion.objects.get(usuario=self.alice)
            self.assertEqual(inscripcion.plazo, dt.date(2027, 3, 20))
            self.ingresar(self.client_a, "alice")
            self.assertEqual(self.contador(self.client_a), 1)
            lista = self.client_a.get("/avisos/")
        self.assertContains(lista, "Se le asignó el curso «¿Qué es la trata")
        self.assertContains(lista, "20 de marzo de 2027")
        self.assertContains(lista, "Nuevo")

    def test_el_plazo_no_puede_ser_pasado(self):
        with time_machine.travel(HOY):
            respuesta = self.asignar_unidad(dt.date(2027, 2, 1))
        self.assertContains(respuesta, "El plazo no puede ser una fecha pasada.")
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(usuario=self.alice).exists())

    def test_marcar_leido_baja_el_contador_del_encabezado(self):
        self.asignar_unidad(None)
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.contador(self.client_a), 1)
        with self.en_a():
            aviso = Aviso.objects.get(usuario=self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client_a.post("/avisos/leidos/", {"aviso": aviso.pk})
        self.assertEqual(self.contador(self.client_a), 0)
        self.assertNotContains(self.client_a.get("/avisos/"), "Nuevo</strong>")

    def test_el_encabezado_no_consulta_la_base_al_dibujar_la_pagina(self):
        # La inclusión de base.html solo pone el enlace: el número llega después.
        peticion = RequestFactory().get("/")
        with self.en_a(), self.assertNumQueries(0):
            html = render_to_string(
                "avisos/includes/encabezado.html",
                {"user": self.alice},
                request=peticion,
            )
        self.assertIn("/avisos/contador/", html)

    def test_el_contador_sale_de_la_cache_hasta_que_cambia(self):
        with self.en_a():
            self.assertEqual(selectors.avisos_no_leidos_contar(usuario=self.alice), 0)
            with self.assertNumQueries(0):
                selectors.avisos_no_leidos_contar(usuario=self.alice)
            services.aviso_crear(
                usuario=self.alice, categoria="plazo", clave="x", titulo="Uno"
            )
            self.assertEqual(selectors.avisos_no_leidos_contar(usuario=self.alice), 1)

    def test_el_contador_con_cache_no_lee_la_tabla_de_avisos(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.ingresar(self.client_a, "alice")
        self.contador(self.client_a)
        with CaptureQueriesContext(connection) as consultas:
            self.assertEqual(self.contador(self.client_a), 0)
        self.assertFalse([q for q in consultas if "avisos_aviso" in q["sql"]])

    def test_crear_dos_veces_la_misma_clave_deja_un_aviso(self):
        with self.en_a():
            for _ in range(2):
                services.aviso_crear(
                    usuario=self.alice, categoria="plazo", clave="k", titulo="T"
                )
            self.assertEqual(Aviso.objects.filter(usuario=self.alice).count(), 1)


class ResumenDiarioTests(AvisosTestCase):
    def test_un_solo_correo_al_dia_con_todos_los_avisos(self):
        with time_machine.travel(HOY):
            self.asignar_unidad(dt.date(2027, 3, 5))
            primero = self.diario()
            self.diario()
        # Curso asignado + plazo a 4 días, en un solo correo.
        self.assertEqual(primero, {"plazos": 1, "vencimientos": 0, "correos": 1})
        self.assertEqual(len(mail.outbox), 1)
        correo = mail.outbox[0]
        self.assertEqual(correo.to, ["alice@example.cl"])
        self.assertEqual(correo.subject, "Tiene 2 avisos nuevos · Tenant alfa")
        self.assertIn("Quedan 4 días para completar", correo.body)
        self.assertIn("Se le asignó el curso", correo.body)
        self.assertIn("http://alfa.localhost", correo.body)
        self.assertIn("Hola, Alice Alfa:", correo.alternatives[0][0])
        # Al día siguiente, nada nuevo: ningún correo; el 1 día antes, otro.
        with time_machine.travel(HOY + dt.timedelta(days=1)):
            self.assertEqual(self.diario()["correos"], 0)
        with time_machine.travel(HOY + dt.timedelta(days=3)):
            resultado = self.diario()
        self.assertEqual(resultado, {"plazos": 1, "vencimientos": 0, "correos": 1})
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("Queda 1 día para completar", mail.outbox[1].subject)

    def test_quien_completo_no_recibe_recordatorio_de_plazo(self):
        with time_machine.travel(HOY):
            self.asignar_unidad(dt.date(2027, 3, 5))
            with self.en_a():
                Inscripcion.objects.filter(usuario=self.alice).update(completado_at=HOY)
            self.assertEqual(self.diario()["plazos"], 0)

    def test_la_baja_del_correo_excluye_la_categoria_sin_sesion(self):
        with time_machine.travel(HOY):
            self.asignar_unidad(dt.date(2027, 3, 5))
            self.diario()
        url = _baja_url(mail.outbox[0].body)
        self.assertNotIn(str(self.alice.pk) + "/", url.split("/baja/")[1][:4])
        anonimo = self.client_a.__class__(HTTP_HOST=DOMINIO_A)
        confirmar = anonimo.get(url)
        self.assertContains(confirmar, "¿Dejar de recibir por correo los avisos")
        with self.en_a():
            self.assertEqual(
                PreferenciaAvisos.objects.get(usuario=self.alice).excluidas, []
            )
        hecho = anonimo.post(url)
        self.assertContains(hecho, "Listo: ya no recibirá por correo")
        with self.en_a():
            excluidas = PreferenciaAvisos.objects.get(usuario=self.alice).excluidas
        self.assertEqual(len(excluidas), 1)
        # El día siguiente llega un aviso de esa categoría: no sale por correo.
        categoria = excluidas[0]
        with self.en_a():
            services.aviso_crear(
                usuario=self.alice, categoria=categoria, clave="nuevo", titulo="Otro"
            )
        with time_machine.travel(HOY + dt.timedelta(days=1)):
            self.assertEqual(self.diario()["correos"], 0)
        self.assertEqual(len(mail.outbox), 1)
        # Pero sigue en la lista del encabezado.
        self.ingresar(self.client_a, "alice")
        self.assertContains(self.client_a.get("/avisos/"), "Otro")

    def test_el_enlace_de_baja_no_sirve_en_otro_tenant_ni_alterado(self):
        with time_machine.travel(HOY):
            self.asignar_unidad(dt.date(2027, 3, 5))
            self.diario()
        url = _baja_url(mail.outbox[0].body)
        ruta = url.split("alfa.localhost", 1)[1]
        self.assertEqual(self.client_b.post(ruta).status_code, 404)
        self.assertEqual(self.client_a.post(ruta[:-3] + "xx/").status_code, 404)
        with self.en_a():
            self.assertEqual(
                PreferenciaAvisos.objects.get(usuario=self.alice).excluidas, []
            )

    def test_mis_avisos_guarda_las_categorias_y_la_obligatoria_no_se_quita(self):
        self.ingresar(self.client_a, "alice")
        pagina = self.client_a.get("/avisos/preferencias/")
        self.assertContains(pagina, "Siempre recibirá, porque la ley lo exige")
        self.assertContains(pagina, "Actualización requerida")
        self.assertNotContains(pagina, 'value="actualizacion"')
        self.client_a.post(
            "/avisos/preferencias/",
            {"recibir": ["inscripcion", "vencimiento"]},
        )
        with self.en_a():
            preferencia = PreferenciaAvisos.objects.get(usuario=self.alice)
            self.assertEqual(preferencia.excluidas, ["plazo"])
            services.aviso_crear(
                usuario=self.alice,
                categoria="actualizacion",
                clave="v2",
                titulo="Debe actualizar",
            )
            self.assertFalse(
                services.categoria_excluir(
                    preferencia=preferencia, categoria="actualizacion"
                )
            )
        self.diario()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "Debe actualizar")
        self.assertNotIn("/avisos/baja/", mail.outbox[0].body)


class ActualizacionTests(AvisosTestCase):
    def test_una_actualizacion_de_version_avisa_en_su_categoria_obligatoria(self):
        from cursos.services import inscripcion_crear

        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            inscripcion_crear(
                usuario=self.alice,
                curso=self.curso,
                inscrito_por=self.olga,
                motivo="actualizacion",
            )
            aviso = Aviso.objects.get(usuario=self.alice)
        self.assertEqual(aviso.categoria, "actualizacion")
        self.assertIn("Debe actualizar su capacitación", aviso.titulo)
        self.ingresar(self.client_a, "alice")
        self.client_a.post("/avisos/preferencias/", {"recibir": []})
        self.diario()
        # Aunque excluyó todo lo que se puede excluir, este aviso sale por correo.
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Debe actualizar su capacitación", mail.outbox[0].subject)

    def test_la_persona_inscrita_por_si_misma_no_recibe_aviso(self):
        self.ingresar(self.client_a, "alice")
        self.client_a.post(f"/cursos/{self.curso.pk}/inscribir/")
        with self.en_a():
            self.assertTrue(Inscripcion.objects.filter(usuario=self.alice).exists())
            self.assertFalse(Aviso.objects.filter(usuario=self.alice).exists())


class EncargadoAvisosTests(AvisosTestCase):
    def test_sin_sesion_las_pantallas_de_la_persona_piden_ingresar(self):
        for url in ("/avisos/", "/avisos/contador/", "/avisos/preferencias/"):
            with self.subTest(url=url):
                respuesta = self.client_a.get(url)
                self.assertEqual(respuesta.status_code, 302)
                self.assertIn("/ingresar/", respuesta["Location"])
        self.assertEqual(self.client_a.post("/avisos/leidos/").status_code, 302)

    def test_roles_de_avisos_y_atrasos(self):
        self.assertEqual(self.client_a.get("/avisos/encargado/").status_code, 302)
        self.assertEqual(self.client_a.get("/avisos/").status_code, 302)
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get("/avisos/encargado/").status_code, 403)
        self.ingresar(self.client_a, "olga")
        self.assertEqual(self.client_a.get("/avisos/encargado/").status_code, 200)

    def test_la_encargada_ve_quien_fue_avisado_y_quien_esta_atrasado(self):
        with time_machine.travel(HOY):
            self.asignar_unidad(dt.date(2027, 3, 5))
            self.diario()
        with time_machine.travel(HOY + dt.timedelta(days=10)):
            self.ingresar(self.client_a, "olga")
            pagina = self.client_a.get(f"/avisos/encargado/?unidad={self.unidad.pk}")
            otra = self.client_a.get(f"/avisos/encargado/?unidad={self.otra.pk}")
        self.assertContains(pagina, "Alice Alfa", count=3)  # 1 atraso + 2 avisos
        self.assertContains(pagina, "05-03-2027")
        self.assertContains(pagina, "01-03-2027 10:00")  # enviado por correo
        self.assertNotContains(otra, "Alice Alfa")
        self.assertContains(otra, "Nadie tiene el plazo vencido.")
        # El resumen por unidad: una persona atrasada en la Primera Comisaría.
        self.assertRegex(
            pagina.content.decode(),
            r"<th scope=\"row\">Primera Comisaría</th><td>1</td>",
        )


class AislamientoTests(AvisosTestCase):
    def test_un_usuario_de_otro_tenant_no_ve_ni_marca_los_avisos(self):
        with self.en_a():
            aviso, _ = services.aviso_crear(
                usuario=self.alice, categoria="plazo", clave="a", titulo="Secreto A"
            )
        self.ingresar(self.client_b, "bob")
        self.assertNotContains(self.client_b.get("/avisos/"), "Secreto A")
        self.client_b.post("/avisos/leidos/", {"aviso": aviso.pk})
        self.assertEqual(self.contador(self.client_b), 0)
        with self.en_a():
            aviso.refresh_from_db()
        self.assertIsNone(aviso.leido_at)
        # La sesión de alfa no vale en beta.
        self.ingresar(self.client_a, "alice")
        cruzado = self.client_a.__class__(HTTP_HOST=DOMINIO_B)
        cruzado.cookies = self.client_a.cookies
        self.assertEqual(cruzado.get("/avisos/").status_code, 302)

    def test_el_resumen_de_un_tenant_no_envia_avisos_de_otro(self):
        with self.en_b():
            services.aviso_crear(
                usuario=self.bob, categoria="plazo", clave="b", titulo="Solo beta"
            )
        self.diario()  # corre en alfa
        self.assertEqual(mail.outbox, [])
        with self.en_b():
            tasks.avisos_diario_task.apply().get()
        self.assertEqual([m.to for m in mail.outbox], [["bob@example.cl"]])
