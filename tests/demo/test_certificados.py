"""La demo gana el certificado aprobando la evaluación final por los servicios."""

from __future__ import annotations

from django.test import override_settings

from certificados.models import Certificado
from demo.certificados import certificados_demo_asegurar
from evaluaciones.models import Intento
from tests.base import CapacitaTestCase


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
class DemoAprobandoLaFinalTests(CapacitaTestCase):
    def test_el_certificado_de_la_demo_viene_de_un_intento_aprobado(self):
        with self.en_a():
            with self.captureOnCommitCallbacks(execute=True):
                certificado = certificados_demo_asegurar(username="alice")
            self.assertIsNotNone(certificado)
            intento = Intento.objects.get(
                usuario=self.alice, evaluacion__curso=certificado.inscripcion.curso
            )
            self.assertEqual(intento.estado, Intento.Estado.CALIFICADO)
            self.assertTrue(intento.aprobado)
            self.assertEqual(intento.puntaje, 100)
            # Idempotente: otra pasada no rinde de nuevo ni emite otro certificado.
            otra = certificados_demo_asegurar(username="alice")
            self.assertEqual(otra.pk, certificado.pk)
            self.assertEqual(Intento.objects.filter(usuario=self.alice).count(), 1)
            self.assertEqual(Certificado.objects.filter(usuario=self.alice).count(), 1)
