from __future__ import annotations

from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cursos.models import Perfil
from cursos.services.nomina import nomina_importar
from tests.cursos.factories import rut_valido
from tests.cursos.importar import importar_por_pantalla, planilla_errores_filas, xlsx

from .base import IndicadoresTestCase

ENCABEZADO = [
    "RUT",
    "Nombres",
    "Apellidos",
    "Correo",
    "Sexo",
    "Institución",
    "Unidad",
    "Cargo",
]


class NominaImportarTests(IndicadoresTestCase):
    def _planilla(self):
        return xlsx(
            [
                ENCABEZADO,
                [
                    rut_valido(20_000_001),
                    "Diego",
                    "Díaz",
                    "dd@x.cl",
                    "M",
                    "CAR",
                    "U1",
                    "Cabo",
                ],
                ["12.345.678-9", "Eva", "Erazo", "", "F", "CAR", "U1", ""],
                [rut_valido(20_000_002), "Fabián", "Fuentes", "", "M", "CAR", "U9", ""],
                [rut_valido(20_000_003), "", "Gómez", "", "", "CAR", "U2", ""],
                [rut_valido(20_000_001), "Diego", "Díaz", "", "M", "CAR", "U1", ""],
                [
                    rut_valido(20_000_004),
                    "Hilda",
                    "Haro",
                    "",
                    "F",
                    "Carabineros de Chile",
                    "U2",
                    "",
                ],
            ]
        )

    def _planilla_buena(self):
        filas = list(load_workbook(self._planilla()).active.iter_rows(values_only=True))
        return xlsx([list(filas[0]), list(filas[1]), list(filas[6])])

    def test_una_fila_rota_y_no_se_aplica_ninguna(self):
        # Todo o nada (issue 15, punto 5): las filas buenas tampoco se aplican.
        with self.en_a():
            usuarios = get_user_model().objects.count()
            resultado = nomina_importar(self._planilla())
            self.assertEqual((resultado.creadas, resultado.actualizadas), (0, 0))
            errores = dict(resultado.errores)
            self.assertEqual(sorted(errores), [3, 4, 5, 6])
            self.assertIn("RUT inválido", errores[3])
            self.assertIn("no registrada", errores[4])
            self.assertIn("falta el nombre", errores[5])
            self.assertIn("duplicada", errores[6])
            self.assertEqual(
                resultado.valores[4][:3],
                [rut_valido(20_000_002), "Fabián", "Fuentes"],
            )
            self.assertEqual(get_user_model().objects.count(), usuarios)
            self.assertFalse(Perfil.objects.filter(rut=rut_valido(20_000_001)).exists())

    def test_las_filas_buenas_se_aplican_si_no_hay_errores(self):
        with self.en_a():
            resultado = nomina_importar(self._planilla_buena())
            self.assertEqual((resultado.creadas, resultado.errores), (2, []))
            diego = Perfil.objects.get(rut=rut_valido(20_000_001))
            self.assertEqual(diego.unidad, self.u1)
            self.assertEqual(diego.usuario.email, "dd@x.cl")
            self.assertEqual(diego.usuario.groups.get().name, "funcionario")
            self.assertFalse(diego.usuario.has_usable_password())

    def test_reimportar_es_idempotente(self):
        with self.en_a():
            nomina_importar(self._planilla_buena())
            usuarios = get_user_model().objects.count()
            segunda = nomina_importar(self._planilla_buena())
            self.assertEqual((segunda.creadas, segunda.actualizadas), (0, 2))
            self.assertEqual(get_user_model().objects.count(), usuarios)

    def test_vista_devuelve_informe_xlsx_con_los_valores_de_cada_fila(self):
        self.ingresar(self.client_a, "olga")
        archivo = SimpleUploadedFile("nomina.xlsx", self._planilla().getvalue())
        pagina, destino = importar_por_pantalla(
            self, self.client_a, "/encargado/nomina/importar/", archivo, en=self.en_a
        )
        self.assertContains(pagina, "No se aplicó ninguna fila: 4 filas tienen errores")
        filas = planilla_errores_filas(self.client_a, destino)
        self.assertEqual(filas[0], ("Fila", *ENCABEZADO, "Error"))
        self.assertEqual([f[0] for f in filas[1:]], [3, 4, 5, 6])
        # La fila tal como vino, para corregirla y volver a subir.
        self.assertEqual(filas[1][:4], (3, "12.345.678-9", "Eva", "Erazo"))
        self.assertIn("RUT inválido", filas[1][-1])
        self.assertIn("no registrada", filas[2][-1])

    def test_archivo_que_no_es_xlsx_recibe_mensaje_en_espanol(self):
        self.ingresar(self.client_a, "olga")
        for nombre, contenido, mensaje in [
            (
                "nomina.csv",
                b"RUT;Nombre",
                "Suba una planilla Excel con extensión .xlsx.",
            ),
            (
                "nomina.xlsx",
                b"esto no es un zip",
                "El archivo no es una planilla xlsx válida.",
            ),
        ]:
            archivo = SimpleUploadedFile(nombre, contenido)
            r = self.client_a.post("/encargado/nomina/importar/", {"archivo": archivo})
            self.assertContains(r, mensaje)

    def test_plantilla_descargable(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.get("/encargado/nomina/plantilla.xlsx")
        hoja = load_workbook(BytesIO(r.content)).active
        self.assertEqual([c.value for c in hoja[1]], ENCABEZADO)
        with self.en_a():
            # La fila de ejemplo se interpreta; su unidad no existe aquí.
            self.assertEqual(nomina_importar(BytesIO(r.content)).errores[0][0], 2)

    def test_dotacion_se_guarda_desde_la_vista(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(
            "/encargado/dotacion/",
            {"anio": 2026, f"total_{self.u1.pk}": "12", f"femenino_{self.u2.pk}": "x"},
        )
        self.assertEqual(r.status_code, 302)
        with self.en_a():
            self.assertEqual(self.u1.dotaciones.get(anio=2026).total, 12)
        r = self.client_a.post(
            "/encargado/dotacion/",
            {
                "anio": 2026,
                f"total_{self.u1.pk}": "3",
                f"femenino_{self.u1.pk}": "2",
                f"masculino_{self.u1.pk}": "2",
            },
            follow=True,
        )
        self.assertContains(r, "no puede superar la dotación total")
