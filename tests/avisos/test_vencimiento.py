"""El aviso de vencimiento de un certificado llega en el resumen diario de avisos.

Antes certificados enviaba su propio correo; ahora es un aviso más: un solo correo al
día, con la misma información (curso, fecha y cómo recertificarse).
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from avisos import tasks
from avisos.models import Aviso
from tests.certificados.base import CertificadosTestCase

INICIO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class VencimientoAvisoTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        with time_machine.travel(INICIO, tick=False):
            self.certificado = self.certificado_de_alice()
        mail.outbox = []

    def _diario(self):
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            return tasks.avisos_diario_task.apply().get()

    def test_aviso_30_dias_antes_una_sola_vez_en_el_resumen(self):
        with time_machine.travel(INICIO.replace(year=2028, month=1, day=20)):
            self.assertEqual(self._diario()["vencimientos"], 0)
        with time_machine.travel(INICIO.replace(year=2028, month=2, day=5)):
            resultado = self._diario()
            self.assertEqual(resultado["vencimientos"], 1)
            self.assertEqual(resultado["correos"], 1)
            self._diario()
        with time_machine.travel(INICIO.replace(year=2028, month=2, day=6)):
            self.assertEqual(self._diario()["correos"], 0)
        self.assertEqual(len(mail.outbox), 1)
        correo = mail.outbox[0]
        self.assertIn("vence pronto", correo.subject)
        self.assertIn("2 de marzo de 2028", correo.body)
        self.assertIn("recertifíquese desde «Mis certificados»", correo.body)
        self.assertIn("/certificados/", correo.body)
        with self.en_a():
            self.certificado.refresh_from_db()
            self.assertIsNotNone(self.certificado.aviso_vencimiento_at)
            avisos = Aviso.objects.filter(usuario=self.alice, categoria="vencimiento")
            self.assertEqual(avisos.count(), 1)
