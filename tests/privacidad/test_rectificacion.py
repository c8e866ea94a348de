"""La persona pide una corrección desde «Mis datos»; la encargada la resuelve."""

from __future__ import annotations

import json

from content.models import RegistroAuditoria
from cursos.models import Perfil
from privacidad.models import SolicitudRectificacion
from tests.base import CapacitaTestCase
from tests.cursos.factories import rut_valido

MIS_DATOS = "/mis-datos/"
SOLICITUDES = "/encargado/privacidad/solicitudes/"
RUT_NUEVO = rut_valido(13_579_246)


class RectificacionTests(CapacitaTestCase):
    def pedir(self, campo: str, valor: str, motivo: str = "Está mal escrito"):
        self.ingresar(self.client_a, "alice")
        return self.client_a.post(
            MIS_DATOS, {"campo": campo, "valor": valor, "motivo": motivo}
        )

    def solicitud(self) -> SolicitudRectificacion:
        with self.en_a():
            return SolicitudRectificacion.objects.get(usuario=self.alice)

    def test_la_encargada_acepta_y_el_dato_cambia(self):
        r = self.pedir("last_name", "Alfaro")
        self.assertRedirects(r, MIS_DATOS, fetch_redirect_response=False)
        self.ingresar(self.client_a, "olga")
        pantalla = self.client_a.get(SOLICITUDES)
        self.assertContains(pantalla, "Alfaro")
        self.assertContains(pantalla, "Apellidos")
        pk = self.solicitud().pk
        self.client_a.post(f"{SOLICITUDES}{pk}/", {"decision": "aceptar"})
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, "Alfaro")
            s = SolicitudRectificacion.objects.get(pk=pk)
            self.assertEqual(s.estado, "aceptada")
            self.assertEqual(s.resuelta_por, self.olga)
            estados = [
                e.data["estado"]
                for e in RegistroAuditoria.objects.filter(
                    action="capacita.privacidad.rectificacion"
                ).order_by("id")
            ]
        self.assertEqual(estados, ["pendiente", "aceptada"])
        self.assertNotContains(self.client_a.get(SOLICITUDES), "Alfaro")

    def test_un_rut_se_corrige_sin_quedar_en_la_bitacora_ni_en_la_url(self):
        self.pedir("rut", RUT_NUEVO.replace("-", ""))
        self.ingresar(self.client_a, "olga")
        pk = self.solicitud().pk
        r = self.client_a.post(f"{SOLICITUDES}{pk}/", {"decision": "aceptar"})
        self.assertNotIn(RUT_NUEVO, r["Location"])
        with self.en_a():
            self.assertEqual(Perfil.objects.get(usuario=self.alice).rut, RUT_NUEVO)
            self.assertEqual(self.solicitud().valor_propuesto, "")
            for e in RegistroAuditoria.objects.all():
                self.assertNotIn(RUT_NUEVO, e.label + json.dumps(e.data))

    def test_el_rechazo_exige_motivo_y_lo_muestra_a_la_persona(self):
        self.pedir("email", "nueva@ejemplo.cl")
        self.ingresar(self.client_a, "olga")
        pk = self.solicitud().pk
        self.client_a.post(f"{SOLICITUDES}{pk}/", {"decision": "rechazar"})
        self.assertEqual(self.solicitud().estado, "pendiente")
        self.client_a.post(
            f"{SOLICITUDES}{pk}/",
            {"decision": "rechazar", "motivo": "El correo institucional es otro"},
        )
        self.assertEqual(self.solicitud().estado, "rechazada")
        self.ingresar(self.client_a, "alice")
        self.assertContains(
            self.client_a.get(MIS_DATOS), "El correo institucional es otro"
        )

    def test_un_rut_invalido_se_rechaza_en_el_formulario(self):
        r = self.pedir("rut", "12.345.678-0")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "dígito verificador")
        with self.en_a():
            self.assertFalse(SolicitudRectificacion.objects.exists())

    def test_solo_la_encargada_ve_y_resuelve(self):
        self.pedir("cargo", "Subcomisaria")
        pk = self.solicitud().pk
        for usuario in ("alice", "edu"):
            self.ingresar(self.client_a, usuario)
            self.assertEqual(self.client_a.get(SOLICITUDES).status_code, 403)
            r = self.client_a.post(f"{SOLICITUDES}{pk}/", {"decision": "aceptar"})
            self.assertEqual(r.status_code, 403)
        self.assertEqual(self.solicitud().estado, "pendiente")

    def test_la_encargada_de_otro_tenant_no_la_alcanza(self):
        self.pedir("cargo", "Subcomisaria")
        pk = self.solicitud().pk
        with self.en_b():
            from tenants.roles import Rol
            from tenants.services import usuario_asegurar
            from tests.base import CLAVE

            usuario_asegurar(username="berta", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "berta")
        self.assertNotContains(self.client_b.get(SOLICITUDES), "Subcomisaria")
        r = self.client_b.post(f"{SOLICITUDES}{pk}/", {"decision": "aceptar"})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.solicitud().estado, "pendiente")
