"""La nómina suma lo mismo que el tablero.

Datos de tests/indicadores/base.py (alfa, 2025): Ana completa el curso (10-03) y asiste
a J1 (02-04, E3-A1.2); Bruno asiste a J1. Aquí se agrega, en alfa:

- Diego completa el curso en 2025 y su certificado se revoca: no es capacitado.
- Elena completa el curso en 2024: capacitada en 2024, no en 2025.
- Fede asiste a J1 sin perfil ni inscripciones: capacitado en 2025.
- Gabi tiene perfil y nada más: no es capacitada.

Calculado a mano: capacitados 2025 = Ana, Bruno, Fede = 3 (Ana y Bruno en unidades con
dotación, Fede sin unidad: «sin dotación informada»); 2024 = Elena = 1, sin dotación
(U2 informó dotación recién en 2025).
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from io import BytesIO

import time_machine
from django.test import override_settings
from openpyxl import load_workbook

from certificados.services import certificado_emitir, certificado_revocar
from cursos.models import Asistencia
from cursos.services.jornadas import asistencia_registrar
from tests.cursos.factories import UsuarioFactory, curso_completar, rut_valido

from .base import IndicadoresTestCase, fecha, persona

_TMP = tempfile.mkdtemp(prefix="capacita-nomina-")


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class NominaSumaComoElTableroTests(IndicadoresTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            diego = persona(
                rut=rut_valido(14_444_444), nombre="Diego", sexo="masculino",
                unidad=self.u1,
            )  # fmt: skip
            elena = persona(
                rut=rut_valido(15_555_555), nombre="Elena", sexo="femenino",
                unidad=self.u2,
            )  # fmt: skip
            persona(
                rut=rut_valido(16_666_666), nombre="Gabi", sexo="femenino",
                unidad=self.u2,
            )  # fmt: skip
            fede = UsuarioFactory(first_name="Fede", last_name="Prueba")
            with time_machine.travel(fecha(2025, 6, 2, 10), tick=False):
                inscripcion = curso_completar(diego, self.curso)
                certificado, _creado = certificado_emitir(inscripcion_id=inscripcion.pk)
                certificado_revocar(
                    certificado=certificado, motivo="Error de identidad", por="olga"
                )
            with time_machine.travel(fecha(2024, 8, 20, 10), tick=False):
                curso_completar(elena, self.curso)
            asistencia_registrar(
                jornada=self.j1, usuario=fede, origen=Asistencia.Origen.PLANILLA
            )
        self.ingresar(self.client_a, "olga")

    def _libro(self, anio: int):
        r = self.client_a.post(
            "/encargado/indicadores/exportar/nomina/", {"anio": anio}
        )
        self.assertEqual(r.status_code, 200)
        return load_workbook(BytesIO(b"".join(r.streaming_content)))

    def _tablero(self, anio: int) -> dict:
        r = self.client_a.get("/encargado/indicadores/", {"anio": anio})
        return r.context["total"]

    def test_los_si_de_capacitado_suman_la_cifra_del_tablero(self):
        # 2024: Elena (U2) no tiene dotación ese año (la de U2 es de 2025): va a la
        # línea «sin dotación informada»; Fede asiste sin unidad: también.
        casos = ((2025, 3, 2, 1), (2024, 1, 0, 1))
        for anio, esperado, en_porcentaje, sin_dotacion in casos:
            with self.subTest(anio=anio):
                hoja = self._libro(anio)["Personas"]
                filas = list(hoja.iter_rows(values_only=True))
                encabezado = filas[0]

                def si(titulo, filas=filas, encabezado=encabezado):
                    columna = encabezado.index(titulo)
                    return [f[2] for f in filas[1:] if f[columna] == "Sí"]

                tablero = self._tablero(anio)
                self.assertEqual(len(si(f"Capacitado en {anio}")), esperado)
                self.assertEqual(
                    len(si("En el % (unidad con dotación)")), tablero["capacitados"]
                )
                self.assertEqual(tablero["capacitados"], en_porcentaje)
                self.assertEqual(
                    len(si("Sin dotación informada")), tablero["sin_dotacion"]
                )
                self.assertEqual(tablero["sin_dotacion"], sin_dotacion)
        filas = list(self._libro(2025)["Personas"].iter_rows(values_only=True))
        por_nombre = {f[2]: f for f in filas[1:]}
        self.assertEqual(
            {n for n, f in por_nombre.items() if f[7] == "Sí"},
            {"Ana", "Bruno", "Fede"},
        )
        self.assertEqual(por_nombre["Fede"][8:10], ("No", "Sí"))
        self.assertEqual(por_nombre["Ana"][8:10], ("Sí", "No"))
        # Una fila por persona, también quien no tiene nada (Gabi) o no tiene
        # perfil (Fede); Ana cuenta un curso y una jornada.
        self.assertEqual(len(filas) - 1, len(por_nombre))
        self.assertEqual(por_nombre["Gabi"][7], "No")
        self.assertEqual(por_nombre["Ana"][10:12], (1, 1))
        self.assertEqual(por_nombre["Diego"][7:12], ("No", "No", "No", 0, 0))

    def test_la_nomina_dice_revocado_y_lleva_las_jornadas(self):
        libro = self._libro(2025)
        self.assertEqual(libro.sheetnames, ["Personas", "Nómina", "Jornadas"])
        nomina = list(libro["Nómina"].iter_rows(values_only=True))
        estados = {f[2]: f[9] for f in nomina[1:] if f[7]}
        self.assertEqual(estados["Diego"], "Revocado")
        self.assertEqual(estados["Ana"], "Completado")
        jornadas = list(libro["Jornadas"].iter_rows(values_only=True))
        self.assertEqual(jornadas[0][5:8], ("Jornada", "Fecha", "Acción del Plan"))
        asistentes = sorted((f[2], f[5], f[6], f[7]) for f in jornadas[1:])
        dia = datetime(2025, 4, 2)  # noqa: DTZ001 - openpyxl lee fechas sin zona
        self.assertEqual(
            asistentes,
            [
                ("Ana", "Jornada policías", dia, "E3-A1.2"),
                ("Bruno", "Jornada policías", dia, "E3-A1.2"),
                ("Fede", "Jornada policías", dia, "E3-A1.2"),
            ],
        )
        # Cada hoja lista a su gente de alfa y a nadie de beta.
        self.assertFalse(
            [f for h in libro.worksheets for f in h.iter_rows(values_only=True)
             if f[2] == "Carla"]
        )  # fmt: skip

    def test_el_tablero_envia_su_anio_a_la_nomina(self):
        r = self.client_a.get("/encargado/indicadores/", {"anio": 2024})
        html = r.content.decode()
        inicio = html.index("/encargado/indicadores/exportar/nomina/")
        formulario = html[inicio : html.index("</form>", inicio)]
        self.assertIn('name="anio" value="2024"', formulario)
