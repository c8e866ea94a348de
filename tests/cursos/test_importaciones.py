"""Importaciones en segundo plano, todo o nada (issue 15, punto 5).

La nómina, la asistencia y el banco de preguntas se suben por la pantalla, corren en
una tarea (Celery eager de la configuración de pruebas) y la página de avance muestra
el resultado. Si una fila tiene errores no se aplica ninguna y la planilla de errores
repite cada fila con sus valores.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Importacion
from cursos.models import Asistencia, Jornada, Perfil
from cursos.services.jornadas import jornada_guardar
from cursos.services.nomina import COLUMNAS, nomina_importar
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_valido
from tests.cursos.importar import (
    importar_por_pantalla,
    planilla_errores_filas,
    subida,
    xlsx,
)

URL_NOMINA = "/encargado/nomina/importar/"


def fila_persona(n: int, *, correo: str | None = None, unidad: str = "Prefectura 1"):
    correo = f"persona{n}@ejemplo.cl" if correo is None else correo
    return [
        rut_valido(21_000_000 + n),
        f"Nombre{n}",
        f"Apellido{n}",
        correo,
        "F" if n % 2 else "M",
        "PDI",
        unidad,
        "Inspector",
    ]


class ImportacionesTestCase(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            inst = InstitucionFactory(nombre="Policía de Investigaciones", sigla="PDI")
            self.unidad = UnidadFactory(
                institucion=inst, nombre="Prefectura 1", region="arica"
            )
        self.ingresar(self.client_a, "olga")

    def importar_nomina(self, filas):
        return importar_por_pantalla(
            self,
            self.client_a,
            URL_NOMINA,
            subida(xlsx([COLUMNAS, *filas]), "nomina.xlsx"),
            en=self.en_a,
        )


class NominaTodoONadaTests(ImportacionesTestCase):
    def test_una_fila_rota_no_aplica_nada_y_la_planilla_repite_la_fila(self):
        rota = fila_persona(2, unidad="Prefectura Inexistente")
        pagina, destino = self.importar_nomina([fila_persona(1), rota, fila_persona(3)])
        self.assertContains(pagina, "No se aplicó ninguna fila: 1 filas tienen errores")
        with self.en_a():
            self.assertFalse(
                Perfil.objects.filter(rut__startswith="21.000.00").exists(),
                "se aplicaron filas de una planilla con errores",
            )
        filas = planilla_errores_filas(self.client_a, destino)
        self.assertEqual(filas[0], ("Fila", *COLUMNAS, "Error"))
        self.assertEqual(len(filas), 2)
        # La fila 3 tal como vino, más el motivo.
        self.assertEqual(filas[1][0], 3)
        self.assertEqual(list(filas[1][1:-1]), rota)
        self.assertIn(
            "unidad «Prefectura Inexistente» de «PDI» no registrada", filas[1][-1]
        )

    def test_una_planilla_buena_se_aplica_completa(self):
        pagina, _url = self.importar_nomina([fila_persona(n) for n in range(1, 4)])
        self.assertContains(pagina, "Aplicada: 3 creadas y 0 actualizadas.")
        with self.en_a():
            perfil = Perfil.objects.select_related("usuario").get(
                rut=rut_valido(21_000_002)
            )
            self.assertEqual(perfil.unidad, self.unidad)
            self.assertEqual(perfil.region, "arica")
            self.assertEqual(perfil.usuario.email, "persona2@ejemplo.cl")
            self.assertEqual(perfil.usuario.groups.get().name, Rol.FUNCIONARIO.value)
            importacion = Importacion.objects.get()
            self.assertEqual(importacion.estado, Importacion.Estado.LISTO)
            self.assertIsNone(importacion.datos, "la planilla subida quedó guardada")
        # Reimportar actualiza y no duplica.
        pagina, _url = self.importar_nomina([fila_persona(n) for n in range(1, 4)])
        self.assertContains(pagina, "Aplicada: 0 creadas y 3 actualizadas.")

    def test_un_correo_invalido_se_rechaza_con_mensaje_en_espanol(self):
        pagina, destino = self.importar_nomina(
            [fila_persona(1), fila_persona(2, correo="no-es-correo")]
        )
        self.assertContains(pagina, "1 filas tienen errores")
        filas = planilla_errores_filas(self.client_a, destino)
        self.assertEqual(filas[1][0], 3)
        self.assertEqual(filas[1][4], "no-es-correo")
        self.assertIn("correo «no-es-correo» no válido", filas[1][-1])
        with self.en_a():
            self.assertFalse(
                get_user_model().objects.filter(email="persona1@ejemplo.cl").exists()
            )

    def test_consultas_por_cada_mil_filas(self):
        filas = [fila_persona(n) for n in range(1, 1001)]
        with self.en_a():
            with CaptureQueriesContext(connection) as consultas:
                resultado = nomina_importar(xlsx([COLUMNAS, *filas]))
            self.assertEqual(resultado.creadas, 1000)
            self.assertLessEqual(len(consultas), 10, [q["sql"][:80] for q in consultas])
            # Reimportar (todas actualizadas, pocas cambian) tampoco crece por fila.
            filas[0][1] = "Otro nombre"
            with CaptureQueriesContext(connection) as consultas:
                resultado = nomina_importar(xlsx([COLUMNAS, *filas]))
            self.assertEqual(resultado.actualizadas, 1000)
            self.assertLessEqual(len(consultas), 10, [q["sql"][:80] for q in consultas])
            self.assertEqual(
                Perfil.objects.get(rut=rut_valido(21_000_001)).usuario.first_name,
                "Otro nombre",
            )


class PaginaDeAvanceTests(ImportacionesTestCase):
    def setUp(self):
        super().setUp()
        _pagina, self.destino = self.importar_nomina([fila_persona(1)])

    def test_la_ve_quien_la_pidio_y_el_estado_responde_json(self):
        r = self.client_a.get(self.destino + "estado/")
        self.assertEqual(
            r.json(),
            {
                "estado": "listo",
                "estado_etiqueta": "Aplicada",
                "porcentaje": 100,
                "hechos": 0,
                "total": 0,
                "terminado": True,
                "descarga": None,
            },
        )
        pagina = self.client_a.get(self.destino)
        # La barra se actualiza con JS estático (CSP: nada en línea).
        self.assertContains(pagina, "js/trabajo-progreso.js")
        self.assertNotContains(pagina, "<script>")

    def test_otro_tenant_no_la_encuentra(self):
        with self.en_b():
            usuario_asegurar(username="berta", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "berta")
        for sufijo in ("", "estado/", "errores.xlsx"):
            with self.subTest(sufijo=sufijo):
                r = self.client_b.get(self.destino + sufijo)
                self.assertEqual(r.status_code, 404)

    def test_otra_encargada_del_mismo_tenant_no_la_encuentra(self):
        with self.en_a():
            usuario_asegurar(username="otra", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_a, "otra")
        self.assertEqual(self.client_a.get(self.destino).status_code, 404)

    def test_un_funcionario_recibe_403(self):
        self.ingresar(self.client_a, "alice")
        for sufijo in ("", "estado/", "errores.xlsx"):
            with self.subTest(sufijo=sufijo):
                r = self.client_a.get(self.destino + sufijo)
                self.assertEqual(r.status_code, 403)


class AsistenciaTodoONadaTests(ImportacionesTestCase):
    def setUp(self):
        super().setUp()
        self.importar_nomina([fila_persona(1), fila_persona(2)])
        with self.en_a():
            inicio = timezone.now() - timedelta(days=1)
            self.jornada = jornada_guardar(
                jornada=Jornada(
                    tema="Jornada de prueba",
                    inicio=inicio,
                    fin=inicio + timedelta(hours=3),
                    modalidad="presencial",
                    lugar="Sala 1",
                )
            )
        self.url = f"/encargado/jornadas/{self.jornada.pk}/"

    def importar(self, ruts):
        return importar_por_pantalla(
            self,
            self.client_a,
            self.url,
            subida(xlsx([["RUT", "Nombre (opcional)"], *([r, "x"] for r in ruts)])),
            en=self.en_a,
        )

    def test_un_rut_fuera_de_la_nomina_no_registra_a_nadie(self):
        ajeno = rut_valido(29_999_999)
        pagina, destino = self.importar([rut_valido(21_000_001), ajeno])
        self.assertContains(pagina, "1 filas tienen errores")
        with self.en_a():
            self.assertFalse(Asistencia.objects.filter(jornada=self.jornada).exists())
        filas = planilla_errores_filas(self.client_a, destino)
        self.assertEqual(filas[0], ("Fila", "RUT", "Nombre (opcional)", "Error"))
        self.assertEqual(filas[1][:3], (3, ajeno, "x"))
        self.assertIn("no está en la nómina", filas[1][3])

    def test_una_planilla_buena_registra_a_todos(self):
        pagina, _url = self.importar([rut_valido(21_000_001), rut_valido(21_000_002)])
        self.assertContains(pagina, "Asistencia registrada: 2 personas nuevas")
        with self.en_a():
            self.assertEqual(
                Asistencia.objects.filter(
                    jornada=self.jornada, origen=Asistencia.Origen.PLANILLA
                ).count(),
                2,
            )
