from __future__ import annotations

import re

from django.test import SimpleTestCase

from verificacion.codigos import (
    ALFABETO,
    BITS,
    codigo_formatear,
    codigo_generar,
    codigo_normalizar,
)


class CodigosTests(SimpleTestCase):
    def test_tiene_al_menos_64_bits_y_formato_crockford_en_grupos(self):
        self.assertGreaterEqual(BITS, 64)
        codigo = codigo_generar()
        self.assertEqual(len(codigo), 16)
        self.assertRegex(codigo, r"^[0-9A-HJKMNP-TV-Z]{16}$")
        self.assertRegex(codigo_formatear(codigo), r"^(\w{4}-){3}\w{4}$")
        self.assertEqual(len({codigo_generar() for _n in range(2000)}), 2000)

    def test_normaliza_minusculas_guiones_y_letras_ambiguas(self):
        codigo = codigo_generar()
        formateado = codigo_formatear(codigo).lower()
        self.assertEqual(codigo_normalizar(f"  {formateado} "), codigo)
        con_o = codigo.replace("0", "O").replace("1", "I")
        self.assertEqual(codigo_normalizar(con_o), codigo)

    def test_acepta_guiones_tipograficos_ancho_completo_y_espacios_raros(self):
        codigo = codigo_generar()
        grupos = codigo_formatear(codigo).split("-")
        for separador in ("–", "—", "‐", "−", "\u00a0", " - ", "_", "."):
            self.assertEqual(codigo_normalizar(separador.join(grupos)), codigo)
        ancho = "".join(chr(ord(c) + 0xFEE0) for c in codigo)  # «ＡＢＣ１…»
        self.assertEqual(codigo_normalizar(ancho), codigo)
        self.assertIsNone(codigo_normalizar(codigo + " " * 100))

    def test_el_caracter_de_control_detecta_todo_error_de_un_simbolo(self):
        for _n in range(50):
            codigo = codigo_generar()
            for posicion in range(len(codigo)):
                for simbolo in ALFABETO:
                    if simbolo == codigo[posicion]:
                        continue
                    errado = codigo[:posicion] + simbolo + codigo[posicion + 1 :]
                    self.assertIsNone(codigo_normalizar(errado), errado)

    def test_detecta_transposiciones_de_vecinos_distintos(self):
        detectadas = total = 0
        for _n in range(200):
            codigo = codigo_generar()
            for i in range(len(codigo) - 1):
                if codigo[i] == codigo[i + 1]:
                    continue
                total += 1
                errado = codigo[:i] + codigo[i + 1] + codigo[i] + codigo[i + 2 :]
                detectadas += codigo_normalizar(errado) is None
        self.assertGreater(detectadas / total, 0.95)

    def test_rechaza_largos_y_simbolos_invalidos(self):
        codigo = codigo_generar()
        for texto in ("", codigo[:-1], codigo + "0", codigo[:-1] + "U", "ÑÑÑÑ" * 4):
            self.assertIsNone(codigo_normalizar(texto))
        self.assertFalse(
            re.search(r"[ILOU]", "".join(codigo_generar() for _ in "x" * 50))
        )
