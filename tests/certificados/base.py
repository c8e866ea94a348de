"""Base de pruebas de certificados: completar un curso corre la emisión en el proceso.

Las pruebas de TestCase nunca hacen commit, así que ``captureOnCommitCallbacks``
ejecuta a mano lo que ``transaction.on_commit`` dejó pendiente (la tarea, modo eager).
"""

from __future__ import annotations

from django.core import mail
from django.core.cache import cache

from certificados.models import Certificado
from cursos.models import Inscripcion
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    curso_completar,
    curso_por_clave,
    rut_registrar,
    rut_valido,
)

RUT_ALICE = rut_valido(12_345_678)


class CertificadosTestCase(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.alice.email = "alice@example.cl"
            self.alice.save(update_fields=["email"])
            rut_registrar(self.alice, RUT_ALICE)
            self.curso = curso_por_clave("que-es-la-trata")
        with self.en_b():
            self.bob.email = "bob@example.cl"
            self.bob.save(update_fields=["email"])
        mail.outbox = []
        # El límite por IP vive en la caché: cada prueba parte de cero.
        cache.clear()

    def completar(self, usuario, curso=None) -> Inscripcion:
        """Completa el curso (en el schema activo) y corre lo encolado al commit."""
        with self.captureOnCommitCallbacks(execute=True):
            inscripcion = curso_completar(usuario, curso or self.curso)
        return inscripcion

    def certificado_de_alice(self) -> Certificado:
        with self.en_a():
            self.completar(self.alice)
            return Certificado.objects.get(usuario=self.alice)
