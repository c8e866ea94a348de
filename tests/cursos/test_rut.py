from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from lib.rut import dv_calcular, rut_enmascarar, rut_normalizar

MENSAJE_FORMATO = "El RUT debe tener el formato 12.345.678-5."
MENSAJE_DV = "El RUT no es válido: revise el dígito verificador."


class DvCalcularTests(SimpleTestCase):
    def test_calcula_digitos_conocidos(self):
        # Calculados a mano con módulo 11 (factores 2..7 desde la derecha).
        casos = {
            "11111111": "1",
            "12345678": "5",
            "5126663": "3",
            "10000013": "K",  # suma 12, 11 - 12 % 11 = 10 → K
            "10000004": "0",  # suma 22, 11 - 22 % 11 = 11 → 0
        }
        for cuerpo, dv in casos.items():
            with self.subTest(cuerpo=cuerpo):
                self.assertEqual(dv_calcular(cuerpo), dv)


class RutNormalizarTests(SimpleTestCase):
    def test_normaliza_ruts_validos(self):
        casos = {
            "11.111.111-1": "11111111-1",
            "12.345.678-5": "12345678-5",
            "12345678-5": "12345678-5",
            "123456785": "12345678-5",
            " 12.345.678-5 ": "12345678-5",
            "12 345 678-5": "12345678-5",
            "5.126.663-3": "5126663-3",
            "05.126.663-3": "5126663-3",
            "10.000.013-K": "10000013-K",
            "10000013-k": "10000013-K",
            "10.000.004-0": "10000004-0",
        }
        for entrada, esperado in casos.items():
            with self.subTest(entrada=entrada):
                self.assertEqual(rut_normalizar(entrada), esperado)

    def test_normalizar_es_idempotente(self):
        for rut in ["12345678-5", "10000013-K", "5126663-3"]:
            with self.subTest(rut=rut):
                self.assertEqual(rut_normalizar(rut_normalizar(rut)), rut)

    def _assert_rechaza(self, entrada, mensaje, code):
        with self.assertRaises(ValidationError) as ctx:
            rut_normalizar(entrada)
        self.assertEqual(ctx.exception.messages, [mensaje])
        self.assertEqual(ctx.exception.code, code)

    def test_rechaza_formato_invalido(self):
        for entrada in [
            "",
            None,
            "   ",
            "abc",
            "12.345.678-",
            "12.345.678-X",
            "12,345,678-5",
            "12.345.678--5",
            "-5",
            "1.234.567.890-1",
            "12.345.678-5a",
        ]:
            with self.subTest(entrada=entrada):
                self._assert_rechaza(entrada, MENSAJE_FORMATO, "rut_formato")

    def test_rechaza_digito_verificador_incorrecto(self):
        for entrada in [
            "12.345.678-6",
            "12.345.678-K",
            "11.111.111-2",
            "10.000.013-0",
            "10.000.004-K",
            "5.126.663-4",
        ]:
            with self.subTest(entrada=entrada):
                self._assert_rechaza(entrada, MENSAJE_DV, "rut_dv")

    def test_rechaza_cuerpo_menor_a_un_millon(self):
        # 999.999-K cuadra en módulo 11 (9 × 27 = 243, 11 - 1 = 10), pero es muy corto.
        self.assertEqual(dv_calcular("999999"), "K")
        for entrada in ["999.999-K", "0-0", "00000000-0"]:
            with self.subTest(entrada=entrada):
                self._assert_rechaza(entrada, MENSAJE_DV, "rut_dv")


class RutEnmascararTests(SimpleTestCase):
    def test_enmascara_dejando_solo_los_ultimos_digitos(self):
        self.assertEqual(rut_enmascarar("12345678-5"), "**.***.678-5")
        self.assertEqual(rut_enmascarar("5126663-3"), "**.***.663-3")
        self.assertEqual(rut_enmascarar("10000013-K"), "**.***.013-K")

    def test_nunca_devuelve_el_rut_completo(self):
        for rut in ["12345678-5", "11111111-1", "5126663-3", "10000013-K"]:
            cuerpo = rut.split("-")[0]
            con_puntos = f"{int(cuerpo):,}".replace(",", ".")
            with self.subTest(rut=rut):
                enmascarado = rut_enmascarar(rut)
                self.assertNotIn(rut, enmascarado)
                self.assertNotIn(cuerpo, enmascarado)
                self.assertNotIn(con_puntos, enmascarado)
                self.assertNotIn(cuerpo[:-3], enmascarado.replace(".", ""))

    def test_vacio_devuelve_vacio(self):
        self.assertEqual(rut_enmascarar(""), "")
        self.assertEqual(rut_enmascarar(None), "")
