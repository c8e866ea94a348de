from __future__ import annotations

import logging

from django.test import Client
from django_tenants.utils import tenant_context

from cursos.models import Perfil
from tests.base import DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_registrar

# No se usa 12.345.678-5 en las pruebas de exposición: es el ejemplo de formato que la
# página muestra como ayuda.
RUT = "15.432.876-9"
RUT_NORMALIZADO = "15432876-9"


class _Registros(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.textos: list[str] = []

    def emit(self, record):
        self.textos.append(record.getMessage())


class PerfilVistaTests(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tenant_context(cls.tenant_a):
            cls.unidad = UnidadFactory(nombre="Primera Comisaría")
            cls.institucion = cls.unidad.institucion
            cls.otra_institucion = InstitucionFactory(nombre="Otra institución")

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "alice")

    def _datos(self, **cambios):
        datos = {
            "first_name": "Alicia",
            "last_name": "Alfa Pérez",
            "rut": RUT,
            "sexo": "femenino",
            "institucion": self.institucion.pk,
            "unidad": self.unidad.pk,
            "cargo": "Sargento",
            "region": "tarapaca",
        }
        datos.update(cambios)
        return datos

    def _perfil_de(self, usuario) -> Perfil | None:
        with self.en_a():
            return Perfil.objects.filter(usuario=usuario).first()

    def test_anonimo_es_enviado_al_ingreso(self):
        response = Client(HTTP_HOST=DOMINIO_A).get("/perfil/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/ingresar/?next=/perfil/"))

    def test_guarda_el_perfil_con_rut_normalizado(self):
        response = self.client_a.post("/perfil/", self._datos(rut="12.345.678-5"))
        self.assertRedirects(response, "/perfil/", fetch_redirect_response=False)
        self.assertNotIn("12345678", response["Location"])
        perfil = self._perfil_de(self.alice)
        self.assertEqual(perfil.rut, "12345678-5")
        self.assertEqual(perfil.unidad_id, self.unidad.pk)
        self.assertEqual(perfil.institucion_id, self.institucion.pk)
        self.assertEqual((perfil.cargo, perfil.region), ("Sargento", "tarapaca"))
        with self.en_a():
            self.alice.refresh_from_db()
        self.assertEqual(self.alice.get_full_name(), "Alicia Alfa Pérez")

    def test_muestra_el_rut_solo_enmascarado(self):
        self.client_a.post("/perfil/", self._datos())
        response = self.client_a.get("/perfil/")
        self.assertContains(response, "RUT registrado: **.***.876-9.")
        self.assertContains(response, "Sus datos quedaron guardados.")
        html = response.content.decode()
        for forma in (RUT, RUT_NORMALIZADO, "15432876", "15.432.876", "432.876"):
            self.assertNotIn(forma, html)

    def test_acepta_k_minuscula_y_sin_puntos(self):
        self.client_a.post("/perfil/", self._datos(rut=" 15432870-k "))
        self.assertEqual(self._perfil_de(self.alice).rut, "15432870-K")

    def test_rut_en_blanco_conserva_el_registrado(self):
        self.client_a.post("/perfil/", self._datos())
        response = self.client_a.post("/perfil/", self._datos(rut="", cargo="Cabo"))
        self.assertEqual(response.status_code, 302)
        perfil = self._perfil_de(self.alice)
        self.assertEqual((perfil.rut, perfil.cargo), (RUT_NORMALIZADO, "Cabo"))

    def test_rut_con_formato_invalido_muestra_el_error(self):
        response = self.client_a.post("/perfil/", self._datos(rut="15.432.876-X"))
        self.assertContains(response, "El RUT debe tener el formato 12.345.678-5.")
        self.assertNotContains(response, "15.432.876")
        self.assertIsNone(self._perfil_de(self.alice))

    def test_rut_con_digito_verificador_erroneo_muestra_el_error(self):
        response = self.client_a.post("/perfil/", self._datos(rut="15.432.876-1"))
        self.assertContains(
            response, "El RUT no es válido: revise el dígito verificador."
        )
        # El valor digitado no vuelve en el HTML, ni siquiera al mostrar el error.
        self.assertNotContains(response, "15.432.876")
        self.assertIsNone(self._perfil_de(self.alice))

    def test_rut_de_otra_cuenta_se_rechaza_sin_revelar_a_quien(self):
        with self.en_a():
            rut_registrar(self.olga, RUT_NORMALIZADO)
        response = self.client_a.post("/perfil/", self._datos())
        self.assertContains(response, "Este RUT ya está registrado en otra cuenta.")
        self.assertNotContains(response, "Olga")
        self.assertNotContains(response, "olga")
        self.assertNotContains(response, "15.432.876")
        self.assertNotContains(response, "15432876")
        self.assertIsNone(self._perfil_de(self.alice))

    def test_unidad_de_otra_institucion_se_rechaza(self):
        response = self.client_a.post(
            "/perfil/", self._datos(institucion=self.otra_institucion.pk)
        )
        self.assertContains(
            response, "La unidad elegida no pertenece a la institución indicada."
        )
        self.assertIsNone(self._perfil_de(self.alice))

    def test_el_rut_no_llega_a_los_logs(self):
        registros = _Registros()
        raiz = logging.getLogger()
        raiz.addHandler(registros)
        nivel = raiz.level
        raiz.setLevel(logging.DEBUG)
        try:
            self.client_a.post("/perfil/", self._datos())
            self.client_a.post("/perfil/", self._datos(rut="15.432.876-1"))
            self.client_a.get("/perfil/")
        finally:
            raiz.removeHandler(registros)
            raiz.setLevel(nivel)
        for texto in registros.textos:
            self.assertNotIn("15432876", texto.replace(".", ""))

    def test_el_menu_enlaza_mi_perfil(self):
        response = self.client_a.get("/mis-cursos/")
        self.assertContains(response, 'href="/perfil/"')
        self.assertNotContains(response, 'href="/encargado/"')
