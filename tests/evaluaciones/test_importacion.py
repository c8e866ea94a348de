"""Importación del banco de preguntas desde xlsx: plantilla, errores y admin."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from evaluaciones.importacion import COLUMNAS, plantilla_xlsx, preguntas_importar
from evaluaciones.models import Categoria, Evaluacion, Opcion, Pregunta, ReglaSorteo
from evaluaciones.services import intento_enviar, intento_iniciar
from lib.planillas import errores_xlsx
from tests.base import CLAVE, DOMINIO_A, CapacitaTestCase
from tests.cursos.importar import importar_por_pantalla, planilla_errores_filas
from tests.evaluaciones.factories import respuestas_correctas

NO_ES_XLSX = "El archivo no es una planilla xlsx válida."


def _fila(codigo, tipo, enunciado, opciones, correctas="", categoria="Importadas"):
    opciones = list(opciones) + [""] * (6 - len(opciones))
    return [codigo, categoria, tipo, enunciado, "", *opciones, correctas]


def libro_xlsx(filas) -> bytes:
    libro = Workbook()
    hoja = libro.active
    hoja.append(COLUMNAS)
    for fila in filas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


FILAS_CON_ERRORES = [
    _fila("OK-1", "unica", "¿Primera buena?", ["Sí", "No"], "1"),  # fila 2
    _fila("MAL-1", "unica", "", ["Sí", "No"], "1"),  # 3: sin enunciado
    _fila("MAL-2", "abierta", "¿Tipo raro?", ["Sí", "No"], "1"),  # 4: tipo
    _fila("MAL-3", "multiple", "¿Correcta vacía?", ["A", "B"], "1,3"),  # 5
    _fila("OK-1", "vf", "¿Código repetido?", ["Verdadero", "Falso"], "1"),  # 6
    _fila("MAL-4", "pareo", "Una cada par.", ["PDI - BRITRAP", "OS9 => Carab."]),
    _fila("OK-2", "multiple", "¿Segunda buena?", ["A", "B", "C"], "1;3"),  # 8
]
ERRORES_ESPERADOS = {
    3: "falta el enunciado",
    4: "tipo «abierta» desconocido",
    5: "«Correctas» menciona una opción vacía",
    6: "código repetido en la planilla",
    7: "en pareo cada opción se escribe «término => pareja»",
}


def _archivo(contenido: bytes, nombre: str = "banco.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        nombre, contenido, content_type="application/octet-stream"
    )


def _propias():
    """Preguntas sin las de los bancos de evaluación final que trae el currículo."""
    return Pregunta.objects.exclude(categoria__nombre__startswith="Evaluación final · ")


class ImportacionTests(CapacitaTestCase):
    def _conteos(self):
        # Sin los bancos de las evaluaciones finales que trae el currículo.
        curriculo = "Evaluación final · "
        return (
            Categoria.objects.exclude(nombre__startswith=curriculo).count(),
            Pregunta.objects.exclude(categoria__nombre__startswith=curriculo).count(),
            Opcion.objects.exclude(
                pregunta__categoria__nombre__startswith=curriculo
            ).count(),
        )

    def test_la_plantilla_se_importa_con_sus_tres_preguntas(self):
        with self.en_a():
            resultado = preguntas_importar(io.BytesIO(plantilla_xlsx()))
            self.assertEqual((resultado.creadas, resultado.actualizadas), (3, 0))
            self.assertEqual(resultado.errores, [])
            self.assertEqual(self._conteos(), (1, 3, 8))

            unica = Pregunta.objects.get(codigo="TP-001")
            self.assertEqual(unica.tipo, Pregunta.Tipo.UNICA)
            self.assertEqual(unica.categoria.nombre, "Conceptos")
            self.assertEqual(unica.retroalimentacion, "En NNA basta acción y fin.")
            self.assertEqual(
                list(unica.opciones.filter(es_correcta=True).values_list("texto")),
                [("Los medios",)],
            )
            pareo = Pregunta.objects.get(codigo="TP-002")
            self.assertEqual(
                list(
                    pareo.opciones.order_by("sort_order").values_list("texto", "pareja")
                ),
                [("BRITRAP", "PDI"), ("OS9", "Carabineros"), ("URAVIT", "Fiscalía")],
            )
            vf = Pregunta.objects.get(codigo="TP-003")
            self.assertEqual(vf.opciones.get(es_correcta=True).texto, "Falso")

    def test_reimportar_la_misma_planilla_no_duplica(self):
        with self.en_a():
            preguntas_importar(io.BytesIO(plantilla_xlsx()))
            antes = self._conteos()
            resultado = preguntas_importar(io.BytesIO(plantilla_xlsx()))
            self.assertEqual((resultado.creadas, resultado.actualizadas), (0, 3))
            self.assertEqual(resultado.errores, [])
            self.assertEqual(self._conteos(), antes)

    def test_reimportar_no_rompe_un_intento_en_curso(self):
        """Corregir una errata y reimportar no debe dejar sin opciones a quien rinde."""
        with self.en_a():
            preguntas_importar(io.BytesIO(plantilla_xlsx()))
            evaluacion = Evaluacion.objects.create(titulo="Con banco importado")
            ReglaSorteo.objects.create(
                evaluacion=evaluacion,
                categoria=Categoria.objects.get(nombre="Conceptos"),
                cantidad=3,
            )
            intento = intento_iniciar(usuario=self.alice, evaluacion=evaluacion)
            respuestas = respuestas_correctas(intento)
            preguntas_importar(io.BytesIO(plantilla_xlsx()))
            vigentes = set(
                Opcion.objects.filter(pregunta__in=_propias()).values_list(
                    "pk", flat=True
                )
            )
            sorteadas = {o for p in intento.preguntas for o in p["opciones"]}
            self.assertEqual(
                sorteadas - vigentes,
                set(),
                "la reimportación borró opciones de un intento abierto",
            )
            intento = intento_enviar(
                intento_id=intento.pk, usuario=self.alice, respuestas=respuestas
            )
            self.assertEqual(intento.puntaje, 100)

    def test_una_fila_con_errores_y_no_se_aplica_ninguna(self):
        # Todo o nada (issue 15, punto 5).
        with self.en_a():
            resultado = preguntas_importar(io.BytesIO(libro_xlsx(FILAS_CON_ERRORES)))
            self.assertEqual((resultado.creadas, resultado.actualizadas), (0, 0))
            errores = dict(resultado.errores)
            self.assertEqual(sorted(errores), sorted(ERRORES_ESPERADOS))
            for fila, mensaje in ERRORES_ESPERADOS.items():
                self.assertIn(mensaje, errores[fila])
            self.assertFalse(_propias().exists())

    def test_sin_errores_se_aplican_todas(self):
        buenas = [
            f
            for i, f in enumerate(FILAS_CON_ERRORES, start=2)
            if i not in ERRORES_ESPERADOS
        ]
        with self.en_a():
            resultado = preguntas_importar(io.BytesIO(libro_xlsx(buenas)))
            self.assertEqual((resultado.creadas, resultado.errores), (2, []))
            self.assertEqual(
                set(_propias().values_list("codigo", flat=True)), {"OK-1", "OK-2"}
            )
            multiple = Pregunta.objects.get(codigo="OK-2")
            self.assertEqual(
                list(
                    multiple.opciones.filter(es_correcta=True)
                    .order_by("sort_order")
                    .values_list("texto", flat=True)
                ),
                ["A", "C"],
            )

    def test_otros_errores_de_fila_tienen_mensaje_en_castellano(self):
        filas = [
            _fila("", "unica", "¿Sin código?", ["Sí", "No"], "1"),
            _fila("X-1", "unica", "¿Una opción?", ["Sí"], "1"),
            _fila("X-2", "unica", "¿Sin correctas?", ["Sí", "No"], ""),
            _fila("X-3", "unica", "¿Dos correctas?", ["Sí", "No"], "1,2"),
            _fila("X-4", "multiple", "¿Letras?", ["Sí", "No"], "a,b"),
            _fila("X-5", "vf", "¿Sin categoría?", ["V", "F"], "1", categoria=""),
        ]
        with self.en_a():
            resultado = preguntas_importar(io.BytesIO(libro_xlsx(filas)))
            self.assertEqual(resultado.creadas, 0)
            errores = dict(resultado.errores)
        self.assertIn("falta el código", errores[2])
        self.assertIn("necesita al menos dos opciones", errores[3])
        self.assertIn("indique en «Correctas» al menos una opción", errores[4])
        self.assertIn("este tipo admite una sola opción correcta", errores[5])
        self.assertIn("«Correctas» debe listar números de opción", errores[6])
        self.assertIn("falta la categoría", errores[7])

    def test_un_archivo_que_no_es_xlsx_da_un_error_en_castellano(self):
        comprimido = io.BytesIO()
        with zipfile.ZipFile(comprimido, "w") as zip_:
            zip_.writestr("hola.txt", "no soy una planilla")
        for nombre, contenido in (
            ("csv renombrado", "Código;Categoría\nTP-1;Conceptos\n".encode()),
            ("vacío", b""),
            ("zip que no es planilla", comprimido.getvalue()),
        ):
            with self.subTest(nombre), self.en_a():
                with self.assertRaises(ValidationError) as error:
                    preguntas_importar(io.BytesIO(contenido))
                self.assertEqual(error.exception.messages, [NO_ES_XLSX])
                self.assertEqual(_propias().count(), 0)

    def test_una_bomba_zip_con_nombre_xlsx_se_rechaza_sin_descomprimirla(self):
        bomba = io.BytesIO()
        with zipfile.ZipFile(bomba, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
        with self.en_a():
            with self.assertRaises(ValidationError) as error:
                preguntas_importar(io.BytesIO(bomba.getvalue()))
            self.assertIn("demasiado grande", " ".join(error.exception.messages))
            self.assertEqual(_propias().count(), 0)

    def test_el_reporte_de_errores_xlsx_se_abre_y_lista_las_filas(self):
        with self.en_a():
            resultado = preguntas_importar(io.BytesIO(libro_xlsx(FILAS_CON_ERRORES)))
        libro = load_workbook(io.BytesIO(errores_xlsx(resultado.errores)))
        filas = list(libro.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(filas[0], ("Fila", "Error"))
        self.assertEqual([f[0] for f in filas[1:]], sorted(ERRORES_ESPERADOS))
        for numero, mensaje in filas[1:]:
            self.assertIn(ERRORES_ESPERADOS[numero], mensaje)


class ImportacionAdminTests(CapacitaTestCase):
    url = "/admin/banco/importar/"

    def _ingresar_admin(self, username: str) -> Client:
        cliente = Client(HTTP_HOST=DOMINIO_A)
        response = cliente.post(
            "/admin/login/", {"username": username, "password": CLAVE}
        )
        self.assertEqual(response.status_code, 302, response.content[:300])
        return cliente

    def test_el_editor_importa_desde_el_admin_y_ve_los_conteos(self):
        edu = self._ingresar_admin("edu")
        response = edu.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Descargar la plantilla")

        plantilla = edu.get("/admin/banco/plantilla/")
        self.assertEqual(plantilla.status_code, 200)
        self.assertIn("banco-preguntas.xlsx", plantilla["Content-Disposition"])

        response, _url = importar_por_pantalla(
            self, edu, self.url, _archivo(plantilla.content), en=self.en_a
        )
        self.assertContains(response, "Aplicada: 3 creadas y 0 actualizadas.")
        response, _url = importar_por_pantalla(
            self, edu, self.url, _archivo(plantilla_xlsx()), en=self.en_a
        )
        self.assertContains(response, "Aplicada: 0 creadas y 3 actualizadas.")
        with self.en_a():
            self.assertEqual(_propias().count(), 3)

    def test_el_admin_informa_las_filas_con_error_y_entrega_el_reporte(self):
        edu = self._ingresar_admin("edu")
        response, destino = importar_por_pantalla(
            self, edu, self.url, _archivo(libro_xlsx(FILAS_CON_ERRORES)), en=self.en_a
        )
        self.assertContains(response, "No se aplicó ninguna fila: 5 filas")
        for mensaje in ERRORES_ESPERADOS.values():
            self.assertContains(response, escape(mensaje))
        filas = planilla_errores_filas(edu, destino)
        self.assertEqual(filas[0], ("Fila", *COLUMNAS, "Error"))
        self.assertEqual([f[0] for f in filas[1:]], sorted(ERRORES_ESPERADOS))
        # Cada fila repite sus valores originales (el código, el enunciado...).
        originales = dict(enumerate(FILAS_CON_ERRORES, start=2))
        for fila in filas[1:]:
            self.assertEqual(fila[1], originales[fila[0]][0] or None)
        with self.en_a():
            self.assertFalse(_propias().exists())

    def test_el_admin_rechaza_archivos_que_no_son_xlsx_con_un_mensaje(self):
        edu = self._ingresar_admin("edu")
        edu.raise_request_exception = False
        response = edu.post(
            self.url, {"archivo": _archivo(b"Codigo;Categoria\n", "banco.xlsx")}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NO_ES_XLSX)
        response = edu.post(self.url, {"archivo": _archivo(b"x", "banco.csv")})
        self.assertContains(response, "Suba un archivo con extensión .xlsx.")
        with self.en_a():
            self.assertEqual(_propias().count(), 0)

    def test_una_persona_aprendiz_no_importa(self):
        alice = Client(HTTP_HOST=DOMINIO_A)
        self.ingresar(alice, "alice")
        for response in (
            alice.get(self.url),
            alice.post(self.url, {"archivo": _archivo(plantilla_xlsx())}),
            alice.get("/admin/banco/plantilla/"),
        ):
            self.assertIn(response.status_code, (302, 403))
            self.assertNotIn(b"Creadas:", response.content)
        with self.en_a():
            self.assertEqual(_propias().count(), 0)
