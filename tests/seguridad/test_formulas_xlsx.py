"""Ninguna planilla que el producto escribe lleva fórmulas (DESIGN.md §6).

Un funcionario pone en su nombre un texto que empieza con «=», «+», «-» o «@» (por
«Mi perfil» o en la nómina que importa la encargada); el nombre llega a la nómina,
a la lista de certificados y a los informes de errores. Cada planilla se genera por
la misma vista que usa la persona, se abre con openpyxl y se revisa también su XML:
ninguna celda es fórmula y el texto hostil está tal cual, como texto con quotePrefix.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, SimpleTestCase, override_settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font

from cursos.models import CursoPage, Institucion
from cursos.services.nomina import COLUMNAS as COLUMNAS_NOMINA
from cursos.services.nomina import dotacion_guardar
from evaluaciones.importacion import COLUMNAS as COLUMNAS_BANCO
from lib.planillas import celda_segura, errores_xlsx, fila_segura, texto_riesgoso
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import (
    UnidadFactory,
    curso_completar,
    curso_por_clave,
    rut_valido,
)
from tests.cursos.importar import importar_por_pantalla
from tests.indicadores.base import IndicadoresTestCase, fecha

RAIZ = Path(__file__).resolve().parents[2]
_TMP = tempfile.mkdtemp(prefix="capacita-formulas-")

HIPERVINCULO = '=HYPERLINK("http://x","clic")'
# Lo que deja pasar un formulario: Django quita el espacio inicial de cada campo y la
# lectura de planillas también (texto()), así que «\t=1» llega como «=1».
HOSTILES = [HIPERVINCULO, "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
# Tabulación y retorno de carro al inicio solo llegan por otra vía (datos antiguos,
# una carga futura): se plantan con el ORM y la planilla igual debe protegerlos.
HOSTILES_ORM = ["\t=1", "\r=1"]
TODOS = HOSTILES + HOSTILES_ORM


def leido(valor: str) -> str:
    """El texto como lo devuelve cualquier lector de XML.

    XML 1.0 §2.11 normaliza el fin de línea: un retorno de carro escrito tal cual en
    el xlsx se lee como salto de línea (openpyxl no escribe «&#13;»). Sigue siendo
    texto; solo cambia ese carácter invisible.
    """
    return valor.replace("\r\n", "\n").replace("\r", "\n")


def xlsx_subido(filas: list[list], nombre: str = "planilla.xlsx") -> SimpleUploadedFile:
    """Una planilla como la que guarda Excel cuando se escribe «'=1+1»: todo texto.

    Se arma sin el helper del producto, para que la prueba no dependa de él.
    """
    libro = Workbook()
    hoja = libro.active
    for fila in filas:
        celdas = []
        for valor in fila:
            celda = Cell(hoja, value=valor)
            celda.data_type = "s"
            celdas.append(celda)
        hoja.append(celdas)
    salida = io.BytesIO()
    libro.save(salida)
    return SimpleUploadedFile(nombre, salida.getvalue())


class RevisionMixin:
    def revisar(self, contenido: bytes) -> dict[str, object]:
        """Falla si hay una fórmula; devuelve {texto: celda} de todas las hojas."""
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            hojas = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
            self.assertTrue(hojas)
            for nombre in hojas:
                xml = zf.read(nombre).decode()
                self.assertIsNone(
                    re.search(r"<(\w+:)?f[\s>/]", xml), f"{nombre} tiene <f>"
                )
        libro = load_workbook(io.BytesIO(contenido))
        textos = {}
        for hoja in libro.worksheets:
            for fila in hoja.iter_rows():
                for celda in fila:
                    self.assertNotIn(
                        celda.data_type, ("f", "e"), f"{hoja.title}!{celda.coordinate}"
                    )
                    if isinstance(celda.value, str):
                        textos[celda.value] = celda
        return textos

    def assertTextoProtegido(self, textos: dict, valor: str) -> None:
        celda = textos.get(leido(valor))
        self.assertIsNotNone(celda, f"{valor!r} no está en la planilla")
        self.assertEqual(celda.data_type, "s")
        self.assertTrue(celda.quotePrefix, f"{valor!r} sin quotePrefix")

    def assertContieneTexto(self, textos: dict, fragmento: str) -> None:
        self.assertTrue(
            any(fragmento in t for t in textos), f"{fragmento!r} no está en la planilla"
        )


class FilaSeguraTests(RevisionMixin, SimpleTestCase):
    """El helper solo, en los dos modos de openpyxl."""

    VALORES = [
        *TODOS,
        "  =1+1",  # tras espacios iniciales
        "\n=1",
        "\u00a0@SUM(A1)",  # espacio duro
        "\uff1d1+1",  # «＝» de ancho completo
        "#REF!",  # openpyxl lo guardaría como celda de error
        "=",
    ]

    def _libro(self, *, solo_escritura: bool) -> bytes:
        libro = Workbook(write_only=solo_escritura)
        hoja = libro.create_sheet("Hoja") if solo_escritura else libro.active
        encabezado = celda_segura(hoja, "=Encabezado")
        encabezado.font = Font(bold=True)
        hoja.append(fila_segura(hoja, [encabezado, "Ana"]))
        hoja.append(fila_segura(hoja, self.VALORES))
        hoja.append(
            fila_segura(
                hoja,
                [-5, 2.5, date(2025, 3, 1), "Ana", "", None],
            )
        )
        salida = io.BytesIO()
        libro.save(salida)
        return salida.getvalue()

    def test_el_texto_riesgoso_queda_como_texto_y_sin_alterar(self):
        for solo_escritura in (True, False):
            with self.subTest(solo_escritura=solo_escritura):
                contenido = self._libro(solo_escritura=solo_escritura)
                textos = self.revisar(contenido)
                for valor in [*self.VALORES, "=Encabezado"]:
                    self.assertTextoProtegido(textos, valor)
                self.assertTrue(textos["=Encabezado"].font.b)
                self.assertFalse(textos["Ana"].quotePrefix)

    def test_numeros_y_fechas_siguen_tipados(self):
        for solo_escritura in (True, False):
            with self.subTest(solo_escritura=solo_escritura):
                contenido = self._libro(solo_escritura=solo_escritura)
                hoja = load_workbook(io.BytesIO(contenido)).worksheets[0]
                fila = [c.value for c in hoja[3]]
                self.assertEqual(fila[:2], [-5, 2.5])
                # openpyxl lee toda fecha como datetime: es fecha, no texto.
                self.assertEqual(fila[2].date(), date(2025, 3, 1))
                self.assertEqual(fila[3], "Ana")

    def test_texto_comun_no_es_riesgoso(self):
        for valor in ["Ana", "Pérez-Soto", "12.345.678-5", "BRITRAP => PDI", "", "a=b"]:
            self.assertFalse(texto_riesgoso(valor), valor)

    def test_errores_xlsx_con_un_mensaje_que_empieza_con_formula(self):
        textos = self.revisar(errores_xlsx([(2, HIPERVINCULO), (3, "=1+1: fila")]))
        self.assertTextoProtegido(textos, HIPERVINCULO)
        self.assertTextoProtegido(textos, "=1+1: fila")


class TodoEscritorUsaElHelperTests(SimpleTestCase):
    """Un escritor nuevo de xlsx que no pase por fila_segura/celda_segura falla aquí."""

    def test_cada_modulo_que_crea_un_libro_usa_el_helper(self):
        sin_helper = []
        for ruta in RAIZ.rglob("*.py"):
            relativa = ruta.relative_to(RAIZ)
            if relativa.parts[0] in {"tests", ".venv", "node_modules", "scripts"}:
                continue
            codigo = ruta.read_text(encoding="utf-8")
            if "Workbook(" in codigo and not re.search(
                r"\b(fila_segura|celda_segura|hoja_escribir|hoja_texto)\(", codigo
            ):
                sin_helper.append(str(relativa))
            if "WriteOnlyCell(" in codigo and relativa != Path("lib/planillas.py"):
                sin_helper.append(f"{relativa} (WriteOnlyCell)")
        self.assertEqual(sin_helper, [])


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class ExportacionesSinFormulasTests(RevisionMixin, IndicadoresTestCase):
    """Nombres hostiles por «Mi perfil», la nómina importada y los datos del sitio."""

    def setUp(self):
        super().setUp()
        with self.en_a():
            # Por el ORM a propósito: la pantalla de instituciones (admin de Wagtail)
            # quita la tabulación inicial, así que «\t=1» solo llega por otra vía
            # (datos antiguos); la unidad sí va por su pantalla (UnidadFactory).
            self.inst = Institucion.objects.create(nombre="\t=1", sigla="HOSTIL")
            self.unidad = UnidadFactory(
                institucion=self.inst, nombre="=1+1", region="arica"
            )
            dotacion_guardar(unidad=self.unidad, anio=2025, total=3)
            self.curso = curso_por_clave("que-es-la-trata")
            CursoPage.objects.filter(pk=self.curso.pk).update(title="@SUM(A1)")
            self.curso.refresh_from_db()
            # Por el ORM: ningún formulario deja pasar el retorno de carro inicial.
            self.bruno.last_name = "\r=1"
            self.bruno.save(update_fields=["last_name"])
        connection.set_schema_to_public()
        # alice escribe su nombre en «Mi perfil».
        alice = Client(HTTP_HOST=DOMINIO_A)
        self.ingresar(alice, "alice")
        r = alice.post(
            "/perfil/",
            {
                "first_name": HIPERVINCULO,
                "last_name": "+1+1",
                "rut": rut_valido(16_000_001),
                "institucion": self.inst.pk,
                "unidad": self.unidad.pk,
            },
        )
        self.assertEqual(r.status_code, 302, r.content[:500])
        with self.en_a():
            with time_machine.travel(fecha(2025, 6, 2, 12), tick=False):
                self.inscripcion = curso_completar(self.alice, self.curso)
        connection.set_schema_to_public()
        # La encargada importa una nómina con nombres hostiles (y filas rotas).
        self.ingresar(self.client_a, "olga")
        planilla = xlsx_subido(
            [
                COLUMNAS_NOMINA,
                [rut_valido(16_000_002), "-2+3", "@SUM(A1)", "", "F", "HOSTIL", "=1+1"],
                [rut_valido(16_000_003), "Eva", "Erazo", "", "=1+1", "HOSTIL", "=1+1"],
                [rut_valido(16_000_004), "Fabián", "Fuentes", "", "M", "CAR", "+1+1"],
            ]
        )
        # Todo o nada: las filas rotas se rechazan con su planilla de errores.
        _pagina, self.importacion_url = importar_por_pantalla(
            self, self.client_a, "/encargado/nomina/importar/", planilla, en=self.en_a
        )
        # Corregida (sin las filas rotas), la nómina hostil se aplica.
        planilla = xlsx_subido(
            [
                COLUMNAS_NOMINA,
                [rut_valido(16_000_002), "-2+3", "@SUM(A1)", "", "F", "HOSTIL", "=1+1"],
            ]
        )
        pagina, _url = importar_por_pantalla(
            self, self.client_a, "/encargado/nomina/importar/", planilla, en=self.en_a
        )
        self.assertContains(pagina, "Aplicada: 1 creadas")

    def _exportar(self, tipo: str, **datos) -> bytes:
        r = self.client_a.post(f"/encargado/indicadores/exportar/{tipo}/", datos)
        self.assertEqual(r.status_code, 200)
        return b"".join(r.streaming_content)

    def test_nomina_sin_formulas_con_los_nombres_tal_cual(self):
        textos = self.revisar(self._exportar("nomina"))
        for valor in TODOS:
            self.assertTextoProtegido(textos, valor)
        self.assertIn("Ana", textos)

    def test_lista_de_certificados_sin_formulas(self):
        from certificados.services import certificado_emitir

        with self.en_a():
            certificado_emitir(inscripcion_id=self.inscripcion.pk)
        textos = self.revisar(self._exportar("certificados"))
        self.assertTextoProtegido(textos, f"{HIPERVINCULO} +1+1")
        self.assertTextoProtegido(textos, "@SUM(A1)")
        self.assertTextoProtegido(textos, "=1+1")

    def test_porcentaje_por_unidad_sin_formulas(self):
        textos = self.revisar(self._exportar("unidades", anio=2025))
        self.assertTextoProtegido(textos, "=1+1")
        self.assertTextoProtegido(textos, "\t=1")

    def test_informe_de_errores_de_la_nomina_sin_formulas(self):
        r = self.client_a.get(self.importacion_url + "errores.xlsx")
        self.assertEqual(r.status_code, 200)
        textos = self.revisar(r.content)
        self.assertContieneTexto(textos, "sexo «=1+1» desconocido")
        self.assertContieneTexto(textos, "unidad «+1+1» de «CAR» no registrada")
        # La planilla repite los valores de cada fila, sin volverlos fórmulas.
        self.assertTextoProtegido(textos, "=1+1")
        self.assertTextoProtegido(textos, "+1+1")

    def test_libro_del_plan_sin_formulas_con_la_institucion_de_un_tenant(self):
        # La institución hostil de alfa llega al libro nacional del MITP.
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        r = self.client_publico.post("/indicadores/exportar/plan/")
        self.assertEqual(r.status_code, 200)
        textos = self.revisar(b"".join(r.streaming_content))
        # Sin vínculo al catálogo, la hoja «% capacitado» la nombra tal como la
        # escribió el tenant.
        self.assertTextoProtegido(textos, "\t=1")


class PlantillasYBancoSinFormulasTests(RevisionMixin, CapacitaTestCase):
    def test_plantillas_descargables_sin_formulas(self):
        self.ingresar(self.client_a, "olga")
        for url in (
            "/encargado/nomina/plantilla.xlsx",
            "/encargado/jornadas/asistencia/plantilla.xlsx",
        ):
            with self.subTest(url=url):
                r = self.client_a.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertIn("12.345.678-5", self.revisar(r.content))
        edu = Client(HTTP_HOST=DOMINIO_A)
        r = edu.post("/admin/login/", {"username": "edu", "password": CLAVE})
        self.assertEqual(r.status_code, 302)
        r = edu.get("/admin/banco/plantilla/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("TP-001", self.revisar(r.content))

    def test_informe_de_errores_del_banco_sin_formulas(self):
        edu = Client(HTTP_HOST=DOMINIO_A)
        r = edu.post("/admin/login/", {"username": "edu", "password": CLAVE})
        self.assertEqual(r.status_code, 302)
        vacias = [""] * 6
        planilla = xlsx_subido(
            [
                COLUMNAS_BANCO,
                ["=1+1", "@SUM(A1)", "-2+3", HIPERVINCULO, "", "Sí", *vacias[1:], "1"],
            ],
            nombre="banco.xlsx",
        )
        pagina, destino = importar_por_pantalla(
            self, edu, "/admin/banco/importar/", planilla, en=self.en_a
        )
        self.assertContains(pagina, "1 filas tienen errores")
        r = edu.get(destino + "errores.xlsx")
        textos = self.revisar(r.content)
        self.assertContieneTexto(textos, "tipo «-2+3» desconocido")
        self.assertTextoProtegido(textos, "=1+1")
