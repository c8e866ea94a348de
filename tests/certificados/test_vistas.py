from __future__ import annotations

import io
import zipfile

from django.core import mail

from certificados.models import Certificado, LoteZip
from cursos.models import Perfil
from tests.certificados.base import RUT_ALICE, CertificadosTestCase
from tests.cursos.factories import PerfilFactory, UnidadFactory


class MisCertificadosTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()

    def test_lista_con_pdf_openbadge_y_enlace_de_verificacion(self):
        self.ingresar(self.client_a, "alice")
        response = self.client_a.get("/certificados/")
        self.assertContains(response, self.curso.title)
        self.assertContains(response, self.certificado.codigo_formateado)
        self.assertContains(response, f"/certificados/{self.certificado.pk}/pdf/")
        self.assertContains(response, f"/certificados/{self.certificado.pk}/openbadge/")
        self.assertContains(
            response, f"http://localhost:8000/verificar/{self.certificado.codigo}"
        )
        self.assertNotContains(response, RUT_ALICE)
        pdf = self.client_a.get(f"/certificados/{self.certificado.pk}/pdf/")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_mis_cursos_enlaza_a_mis_certificados(self):
        self.ingresar(self.client_a, "alice")
        self.assertContains(self.client_a.get("/mis-cursos/"), 'href="/certificados/"')

    def test_sin_sesion_redirige_al_ingreso(self):
        response = self.client_a.get(f"/certificados/{self.certificado.pk}/pdf/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])

    def test_idor_el_pdf_de_otra_persona_da_404(self):
        with self.en_a():
            from tests.cursos.factories import UsuarioFactory

            UsuarioFactory(username="carla")
        self.ingresar(self.client_a, "carla")
        for sufijo in ("pdf/", "openbadge/"):
            response = self.client_a.get(
                f"/certificados/{self.certificado.pk}/{sufijo}"
            )
            self.assertEqual(response.status_code, 404)
        self.assertNotContains(
            self.client_a.get("/certificados/"), self.certificado.codigo_formateado
        )

    def test_el_certificado_de_a_no_se_ve_desde_b_pero_verifica_en_publico(self):
        self.ingresar(self.client_b, "bob")
        listado = self.client_b.get("/certificados/")
        self.assertEqual(listado.status_code, 200)
        self.assertNotContains(listado, self.certificado.codigo_formateado)
        for sufijo in ("pdf/", "openbadge/"):
            response = self.client_b.get(
                f"/certificados/{self.certificado.pk}/{sufijo}"
            )
            self.assertEqual(response.status_code, 404)
        publico = self.client_publico.get(f"/verificar/{self.certificado.codigo}")
        self.assertContains(publico, "Válido")
        self.assertContains(publico, "Alice Alfa")
        self.assertContains(publico, "Tenant alfa")


class EncargadoTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.unidad = UnidadFactory(nombre="Brigada Norte")
            self.otra_unidad = UnidadFactory(nombre="Brigada Sur")
            Perfil.objects.filter(usuario=self.alice).update(unidad=self.unidad)
            self.perfiles = [PerfilFactory(unidad=self.unidad) for _n in range(2)]
            self.ajeno = PerfilFactory(unidad=self.otra_unidad)
            for perfil in [*self.perfiles, self.ajeno]:
                self.completar(perfil.usuario)
            self.completar(self.alice)
        self.ingresar(self.client_a, "olga")

    def test_la_funcionaria_no_entra_a_la_lista_del_encargado(self):
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get("/certificados/encargado/").status_code, 403)

    def test_filtra_por_unidad_curso_y_estado(self):
        response = self.client_a.get(
            "/certificados/encargado/",
            {"unidad": self.unidad.pk, "curso": self.curso.pk, "estado": "vigente"},
        )
        self.assertContains(response, "Alice Alfa")
        self.assertContains(response, self.perfiles[0].usuario.first_name)
        self.assertNotContains(response, self.ajeno.usuario.first_name + " ")
        self.assertEqual(response.content.decode().count('class="fila-certificado"'), 3)
        revocados = self.client_a.get(
            "/certificados/encargado/", {"estado": "revocado"}
        )
        self.assertEqual(
            revocados.content.decode().count('class="fila-certificado"'), 0
        )
        for perfil in (*self.perfiles, self.ajeno):
            self.assertNotContains(response, perfil.rut)

    def test_revoca_con_motivo_y_se_ve_al_instante_en_la_verificacion(self):
        with self.en_a():
            certificado = Certificado.objects.get(usuario=self.alice)
        response = self.client_a.post(
            f"/certificados/encargado/{certificado.pk}/revocar/",
            {"motivo": "Se detectó suplantación en la evaluación"},
        )
        self.assertEqual(response.status_code, 302)
        publico = self.client_publico.get(f"/verificar/{certificado.codigo}")
        self.assertContains(publico, "Revocado")
        self.assertContains(publico, "Se detectó suplantación en la evaluación")
        revocados = self.client_a.get(
            "/certificados/encargado/", {"estado": "revocado"}
        )
        self.assertEqual(
            revocados.content.decode().count('class="fila-certificado"'), 1
        )

    def test_revocar_sin_motivo_no_revoca(self):
        with self.en_a():
            certificado = Certificado.objects.get(usuario=self.alice)
        self.client_a.post(f"/certificados/encargado/{certificado.pk}/revocar/", {})
        with self.en_a():
            certificado.refresh_from_db()
        self.assertEqual(certificado.estado, "vigente")

    def test_zip_de_la_unidad_con_avance_y_descarga(self):
        mail.outbox = []
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client_a.post(
                "/certificados/encargado/lotes/", {"unidad": self.unidad.pk}
            )
        self.assertEqual(response.status_code, 302)
        with self.en_a():
            lote = LoteZip.objects.get(unidad=self.unidad)
        self.assertContains(
            self.client_a.get(response["Location"]), "data-trabajo-progreso"
        )
        estado = self.client_a.get(f"/certificados/encargado/lotes/{lote.pk}/estado/")
        datos = estado.json()
        self.assertEqual(datos["estado"], "listo")
        self.assertEqual(
            (datos["hechos"], datos["total"], datos["porcentaje"]), (3, 3, 100)
        )
        descarga = self.client_a.get(datos["descarga"])
        self.assertEqual(descarga.status_code, 200)
        contenido = b"".join(descarga.streaming_content)
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            nombres = zf.namelist()
            self.assertEqual(len(nombres), 3)
            self.assertTrue(all(n.endswith(".pdf") for n in nombres))
            self.assertTrue(any(n.startswith("alice-alfa-") for n in nombres))
            self.assertTrue(zf.read(nombres[0]).startswith(b"%PDF"))

    def test_el_zip_de_a_no_se_ve_desde_b(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client_a.post(
                "/certificados/encargado/lotes/", {"unidad": self.unidad.pk}
            )
        with self.en_a():
            lote = LoteZip.objects.get(unidad=self.unidad)
        with self.en_b():
            from tenants.roles import Rol
            from tenants.services import usuario_asegurar
            from tests.base import CLAVE

            usuario_asegurar(username="olgab", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "olgab")
        for sufijo in ("", "estado/", "descargar/"):
            response = self.client_b.get(
                f"/certificados/encargado/lotes/{lote.pk}/{sufijo}"
            )
            self.assertEqual(response.status_code, 404)
