from __future__ import annotations

from django.utils import timezone

from avisos.models import Aviso
from demo.avisos import avisos_demo_asegurar
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase


class AvisosDemoTests(CapacitaTestCase):
    def test_la_demo_deja_avisos_de_funcionario_una_sola_vez(self):
        with self.en_a():
            usuario_asegurar(
                username="funcionario", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            usuario_asegurar(username="encargado", password=CLAVE, rol=Rol.ENCARGADO)
            self.assertEqual(avisos_demo_asegurar(), 2)
            self.assertEqual(avisos_demo_asegurar(), 2)
            plazo = Aviso.objects.get(
                categoria="plazo", usuario__username="funcionario"
            )
        self.assertIn("Quedan 5 días", plazo.titulo)
        self.assertIsNone(plazo.enviado_at)
        self.assertLessEqual(plazo.creado_at, timezone.now())
        self.ingresar(self.client_a, "funcionario")
        self.assertContains(self.client_a.get("/avisos/"), "Se le asignó el curso")
