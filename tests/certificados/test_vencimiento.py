"""Vencimiento, avisos y recertificación con el tiempo congelado (time-machine)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from avisos.services import avisos_vencimientos_revisar
from certificados import services, tasks
from certificados.models import Certificado, CursoActualizacion
from cursos.models import CursoPage, Inscripcion
from tests.certificados.base import CertificadosTestCase
from tests.cursos.factories import curso_completar, leccion_agregar
from verificacion.models import RegistroCertificado

INICIO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class VencimientoTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        with time_machine.travel(INICIO, tick=False):
            self.certificado = self.certificado_de_alice()
        mail.outbox = []
        # vigencia_meses = 24 en el currículo: vence el 2028-03-02.
        self.assertEqual(self.certificado.vence_at, INICIO.replace(year=2028))

    def _estado_publico(self):
        return self.client_publico.get(f"/verificar/{self.certificado.codigo}")

    def test_la_tarea_diaria_solo_marca_vencidos_el_aviso_va_en_avisos(self):
        # El aviso previo lo da el resumen de avisos (tests/avisos/test_vencimiento.py).
        with self.en_a():
            with time_machine.travel(INICIO.replace(year=2028, month=2, day=5)):
                resultado = tasks.certificados_vencimientos_task.apply().get()
        self.assertEqual(resultado, {"vencidos": 0})
        self.assertEqual(len(mail.outbox), 0)

    def test_la_tarea_diaria_marca_vencido_y_la_verificacion_lo_muestra(self):
        with time_machine.travel(INICIO.replace(year=2028, month=3, day=1)):
            self.assertContains(self._estado_publico(), "Válido")
            with self.en_a():
                self.assertEqual(services.certificados_vencer(), 0)
        with time_machine.travel(INICIO.replace(year=2028, month=3, day=3)):
            # Antes de la tarea diaria la página ya lo da por vencido por la fecha.
            self.assertContains(self._estado_publico(), "Vencido")
            with self.en_a():
                self.assertEqual(services.certificados_vencer(), 1)
                self.certificado.refresh_from_db()
            self.assertEqual(self.certificado.estado, "vencido")
            registro = RegistroCertificado.objects.get(codigo=self.certificado.codigo)
            self.assertEqual(registro.estado, "vencido")
            self.assertContains(self._estado_publico(), "Vencido")

    def test_revocacion_con_tiempo_congelado_fija_la_fecha(self):
        momento = INICIO.replace(year=2027, month=6, day=15)
        with time_machine.travel(momento, tick=False), self.en_a():
            services.certificado_revocar(
                certificado=self.certificado, motivo="Error de identidad", por="Olga"
            )
            self.certificado.refresh_from_db()
        self.assertEqual(self.certificado.revocado_at, momento)
        registro = RegistroCertificado.objects.get(codigo=self.certificado.codigo)
        self.assertEqual(registro.revocado_el, timezone.localdate(momento))
        # Un revocado no pasa a vencido ni recibe avisos.
        with (
            time_machine.travel(INICIO.replace(year=2028, month=2, day=20)),
            self.en_a(),
        ):
            self.assertEqual(avisos_vencimientos_revisar(ahora=timezone.now()), 0)
        with time_machine.travel(INICIO.replace(year=2029)), self.en_a():
            self.assertEqual(services.certificados_vencer(), 0)
        self.assertContains(self._estado_publico(), "Revocado")

    def test_no_se_recertifica_antes_de_tiempo(self):
        with time_machine.travel(INICIO.replace(year=2027)):
            self.ingresar(self.client_a, "alice")
            response = self.client_a.post(
                f"/certificados/{self.certificado.pk}/recertificar/", follow=True
            )
        self.assertContains(response, "todavía no se puede recertificar")
        with self.en_a():
            self.assertEqual(Inscripcion.objects.filter(usuario=self.alice).count(), 1)

    def test_recertificacion_abre_un_ciclo_nuevo_y_reemplaza_al_anterior(self):
        with time_machine.travel(INICIO.replace(year=2028, month=2, day=20)):
            self.ingresar(self.client_a, "alice")
            self.assertContains(self.client_a.get("/certificados/"), "Recertificarme")
            response = self.client_a.post(
                f"/certificados/{self.certificado.pk}/recertificar/"
            )
            self.assertEqual(response.status_code, 302)
            # Dos clics dan el mismo ciclo.
            self.client_a.post(f"/certificados/{self.certificado.pk}/recertificar/")
            with self.en_a():
                ciclos = list(
                    Inscripcion.objects.filter(usuario=self.alice, curso=self.curso)
                    .order_by("ciclo")
                    .values_list("ciclo", "completado_at")
                )
                self.assertEqual([c for c, _f in ciclos], [1, 2])
                self.assertIsNone(ciclos[1][1])
                with self.captureOnCommitCallbacks(execute=True):
                    curso_completar(self.alice, self.curso)
                nuevo = Certificado.objects.get(usuario=self.alice, ciclo=2)
                self.certificado.refresh_from_db()
        self.assertEqual(self.certificado.estado, "reemplazado")
        self.assertEqual(self.certificado.reemplazado_por_id, nuevo.pk)
        self.assertNotEqual(nuevo.codigo, self.certificado.codigo)
        antiguo = self._estado_publico()
        self.assertContains(antiguo, "Reemplazado")
        self.assertContains(antiguo, nuevo.codigo_formateado)
        self.assertContains(
            self.client_publico.get(f"/verificar/{nuevo.codigo}"), "Válido"
        )

    def test_recertificacion_con_curso_de_actualizacion(self):
        with self.en_a():
            ruta = self.curso.get_parent()
            actualizacion = ruta.add_child(
                instance=CursoPage(
                    title="Actualización en trata de personas",
                    slug="actualizacion-trata",
                    vigencia_meses=12,
                )
            )
            actualizacion.save_revision().publish()
            leccion_agregar(actualizacion)
            CursoActualizacion.objects.create(
                curso=self.curso, curso_actualizacion=actualizacion
            )
            with time_machine.travel(INICIO.replace(year=2028, month=3, day=10)):
                inscripcion = services.recertificacion_iniciar(
                    certificado=self.certificado
                )
                self.assertEqual(inscripcion.curso, actualizacion)
                with self.captureOnCommitCallbacks(execute=True):
                    curso_completar(self.alice, actualizacion)
            nuevo = Certificado.objects.get(usuario=self.alice, curso=actualizacion)
            self.certificado.refresh_from_db()
        self.assertEqual(self.certificado.estado, "reemplazado")
        self.assertEqual(self.certificado.reemplazado_por_id, nuevo.pk)
