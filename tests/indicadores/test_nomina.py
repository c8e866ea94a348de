from __future__ import annotations

from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cursos.models import Perfil
from cursos.services.nomina import nomina_importar
from tests.cursos.factories import rut_valido

from .base import IndicadoresTestCase, xlsx

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

    def test_filas_rotas_se_informan_y_las_buenas_se_aplican(self):
        with self.en_a():
            resultado = nomina_importar(self._planilla())
            self.assertEqual(resultado.creadas, 2)
            errores = dict(resultado.errores)
            self.assertEqual(sorted(errores), [3, 4, 5, 6])
            self.assertIn("RUT inválido", errores[3])
            self.assertIn("no registrada", errores[4])
            self.assertIn("falta el nombre", errores[5])
            self.assertIn("duplicada", errores[6])
            diego = Perfil.objects.get(rut=rut_valido(20_000_001))
            self.assertEqual(diego.unidad, self.u1)
            self.assertEqual(diego.usuario.groups.get().name, "funcionario")
            self.assertFalse(diego.usuario.has_usable_password())

    def test_reimportar_es_idempotente(self):
        with self.en_a():
            nomina_importar(self._planilla())
            usuarios = get_user_model().objects.count()
            segunda = nomina_importar(self._planilla())
            self.assertEqual((segunda.creadas, segunda.actualizadas), (0, 2))
            self.assertEqual(get_user_model().objects.count(), usuarios)

    def test_vista_devuelve_informe_xlsx_sin_rut(self):
        self.ingresar(self.client_a, "olga")
        planilla = self._planilla()
        archivo = SimpleUploadedFile("nomina.xlsx", planilla.getvalue())
        r = self.client_a.post("/encargado/nomina/importar/", {"archivo": archivo})
        self.assertContains(r, "2 personas creadas")
        self.assertContains(r, "Fila 3:")
        informe = self.client_a.get("/encargado/planilla/errores.xlsx")
        filas = list(
            load_workbook(BytesIO(informe.content)).active.iter_rows(values_only=True)
        )
        self.assertEqual(filas[0], ("Fila", "Error"))
        self.assertEqual([f[0] for f in filas[1:]], [3, 4, 5, 6])
        self.assertNotIn("12.345.678-9", str(filas))

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
