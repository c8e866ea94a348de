from __future__ import annotations

from certificados.models import Certificado
from cursos.models import Unidad
from tests.certificados.base import CertificadosTestCase
from tests.content.h5p_paquetes import MediaTemporalMixin
from tests.cursos.factories import UnidadFactory

from .datos import persona_poblar


class PrivacidadTestCase(MediaTemporalMixin, CertificadosTestCase):
    """alice (alfa) con cada tipo de dato; olga es su encargada."""

    def setUp(self):
        super().setUp()
        with self.en_a():
            self.unidad: Unidad = UnidadFactory(nombre="Prefectura Privada")
            with self.captureOnCommitCallbacks(execute=True):
                self.creado = persona_poblar(
                    self.alice, encargada=self.olga, unidad=self.unidad
                )
            self.alice.refresh_from_db()
            self.certificado = Certificado.objects.get(usuario=self.alice)
