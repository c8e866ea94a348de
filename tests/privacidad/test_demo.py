from __future__ import annotations

from demo.privacidad import rectificacion_demo_asegurar
from privacidad.models import SolicitudRectificacion
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase


class DemoPrivacidadTests(CapacitaTestCase):
    def test_la_demo_deja_una_solicitud_pendiente_visible_para_la_encargada(self):
        with self.en_a():
            usuario_asegurar(
                username="funcionario",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Funcionaria",
                last_name="de prueba",
            )
            primera = rectificacion_demo_asegurar()
            self.assertEqual(rectificacion_demo_asegurar(), primera)
            self.assertEqual(
                SolicitudRectificacion.objects.filter(estado="pendiente").count(), 1
            )
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get("/encargado/privacidad/solicitudes/")
        self.assertContains(r, "Funcionaria de prueba")
        self.assertContains(r, "Inspectora de la Unidad de Trata")
