from __future__ import annotations

import datetime as dt
import html
import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from cursos.models import CursoPage, Inscripcion, RutaPage
from cursos.services import leccion_completar
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    InscripcionFactory,
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    curso_por_clave,
    lecciones_de,
)

RUT_ALICE = "15432876-9"


def _texto(response) -> str:
    """El HTML sin etiquetas ni entidades, para buscar frases de los mensajes."""
    sin_etiquetas = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(sin_etiquetas))


def _fila(response, nombre: str) -> str:
    """El HTML de la fila de la tabla de avance de una persona."""
    coincidencia = re.search(
        r"<tr>\s*<th scope=\"row\">" + re.escape(nombre) + r"</th>.*?</tr>",
        response.content.decode(),
        re.S,
    )
    assert coincidencia, f"sin fila para {nombre}"
    return coincidencia.group(0)


class EncargadoTestCase(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tenant_context(cls.tenant_a):
            cls.curso = curso_por_clave("que-es-la-trata")
            cls.avanzado = curso_por_clave("deteccion-indicadores")
            cls.unidad = UnidadFactory(nombre="Primera Comisaría")
            cls.otra_unidad = UnidadFactory(nombre="Segunda Comisaría")
            PerfilFactory(usuario=cls.alice, unidad=cls.unidad, rut=RUT_ALICE)

    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "olga")

    def _inscribir(self, **datos):
        return self.client_a.post("/encargado/inscribir/", datos, follow=True)

    def _persona(self, nombre: str, apellido: str, unidad):
        with self.en_a():
            usuario = UsuarioFactory(first_name=nombre, last_name=apellido)
            PerfilFactory(usuario=usuario, unidad=unidad)
        return usuario


class AccesoEncargadoTests(EncargadoTestCase):
    def _urls(self) -> list[str]:
        return [
            "/encargado/",
            "/encargado/inscribir/",
            f"/encargado/cursos/{self.curso.pk}/",
        ]

    def test_funcionaria_y_editor_reciben_403(self):
        for username in ("alice", "edu"):
            self.client_a.logout()
            self.ingresar(self.client_a, username)
            for url in self._urls():
                with self.subTest(username=username, url=url):
                    self.assertEqual(self.client_a.get(url).status_code, 403)
            response = self.client_a.post(
                "/encargado/inscribir/",
                {"curso": self.curso.pk, "usuario": self.alice.pk},
            )
            self.assertEqual(response.status_code, 403)
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())

    def test_anonimo_va_al_ingreso(self):
        self.client_a.logout()
        for url in self._urls():
            response = self.client_a.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/ingresar/?next="))

    def test_sesion_de_alfa_no_autoriza_en_beta(self):
        self.assertEqual(self.client_a.get("/encargado/").status_code, 200)
        for url in self._urls():
            response = self.client_a.get(url, HTTP_HOST="beta.localhost")
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/ingresar/"))

    def test_mi_perfil_enlaza_el_panel_solo_a_quien_tiene_el_rol(self):
        self.assertContains(self.client_a.get("/perfil/"), 'href="/encargado/"')
        self.client_a.logout()
        self.ingresar(self.client_a, "alice")
        self.assertNotContains(self.client_a.get("/perfil/"), 'href="/encargado/"')


class PanelEncargadoTests(EncargadoTestCase):
    def test_lista_cursos_publicados_con_inscritos_y_completados(self):
        with self.en_a():
            InscripcionFactory(usuario=self.alice, curso=self.curso)
            curso_completar(self.edu, self.curso)
            # Un segundo ciclo de la misma persona no la cuenta dos veces. (El
            # ciclo 2 lo abre la recertificación, que no se recorre aquí.)
            Inscripcion.objects.create(usuario=self.edu, curso=self.curso, ciclo=2)
            publicados = CursoPage.objects.live().count()
        response = self.client_a.get("/encargado/")
        self.assertEqual(response.status_code, 200)
        contenido = response.content.decode()
        self.assertEqual(contenido.count('href="/encargado/cursos/'), publicados)
        fila = re.search(
            r"<a href=\"/encargado/cursos/" + str(self.curso.pk) + r"/\">",
            contenido,
        )
        self.assertIsNotNone(fila)
        inicio = contenido.rfind("<tr>", 0, fila.start())
        celdas = re.findall(r"<td>(\d+)</td>", contenido[inicio : fila.start()])
        self.assertEqual(celdas, ["2", "1"])
        self.assertContains(response, 'class="tabla-desplazable"')


class InscribirEncargadoTests(EncargadoTestCase):
    def test_formulario_muestra_nombre_y_usuario_sin_rut(self):
        response = self.client_a.get(f"/encargado/inscribir/?curso={self.curso.pk}")
        self.assertContains(response, "Alice Alfa (alice)")
        self.assertContains(response, "Primera Comisaría")
        self.assertContains(response, '<label for="id_curso">')
        self.assertNotContains(response, "15432876")
        self.assertContains(response, f'value="{self.curso.pk}" selected')

    def test_inscribe_a_una_persona(self):
        response = self._inscribir(curso=self.curso.pk, usuario=self.alice.pk)
        self.assertRedirects(response, f"/encargado/inscribir/?curso={self.curso.pk}")
        self.assertIn(
            f"Se inscribió a Alice Alfa en «{self.curso.title}».", _texto(response)
        )
        with self.en_a():
            inscripcion = Inscripcion.objects.get(usuario=self.alice)
        self.assertEqual(inscripcion.curso_id, self.curso.pk)
        self.assertEqual(inscripcion.inscrito_por_id, self.olga.pk)

    def test_persona_ya_inscrita_no_se_duplica(self):
        with self.en_a():
            InscripcionFactory(usuario=self.alice, curso=self.curso)
        response = self._inscribir(curso=self.curso.pk, usuario=self.alice.pk)
        self.assertIn("Alice Alfa ya estaba inscrita o inscrito", _texto(response))
        with self.en_a():
            self.assertEqual(Inscripcion.objects.filter(usuario=self.alice).count(), 1)

    def test_persona_sin_prerrequisitos_queda_rechazada(self):
        response = self._inscribir(curso=self.avanzado.pk, usuario=self.alice.pk)
        self.assertEqual(response.status_code, 200)
        self.assertIn("debe completar", _texto(response))
        self.assertIn(self.curso.title, _texto(response))
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())

    def test_inscribe_una_unidad_e_informa_cuantas_ya_estaban(self):
        self._persona("Beatriz", "Bravo", self.unidad)
        self._persona("Carla", "Castro", self.unidad)
        self._persona("Fuera", "DeLaUnidad", self.otra_unidad)
        with self.en_a():
            InscripcionFactory(usuario=self.alice, curso=self.curso)
        response = self._inscribir(curso=self.curso.pk, unidad=self.unidad.pk)
        texto = _texto(response)
        self.assertIn(
            "2 personas inscritas, 1 ya estaba inscrita, 0 no cumplen los requisitos",
            texto,
        )
        self.assertNotIn("No se inscribió", texto)
        with self.en_a():
            inscritos = set(
                Inscripcion.objects.filter(curso=self.curso).values_list(
                    "usuario__first_name", flat=True
                )
            )
            self.assertEqual(
                set(Inscripcion.objects.values_list("inscrito_por", flat=True)),
                {None, self.olga.pk},
            )
        self.assertEqual(inscritos, {"Alice", "Beatriz", "Carla"})

    def test_unidad_en_curso_con_prerrequisitos_lista_rechazados(self):
        beatriz = self._persona("Beatriz", "Bravo", self.unidad)
        with self.en_a():
            curso_completar(beatriz, self.curso)
        response = self._inscribir(curso=self.avanzado.pk, unidad=self.unidad.pk)
        texto = _texto(response)
        self.assertIn(
            "1 persona inscrita, 0 ya estaban inscritas, 1 no cumple los requisitos",
            texto,
        )
        self.assertIn(
            f"No se inscribió a Alice Alfa: Antes de inscribirse en "
            f"«{self.avanzado.title}» debe completar: {self.curso.title}.",
            texto,
        )
        self.assertNotIn("No se inscribió a Beatriz", texto)
        with self.en_a():
            self.assertTrue(
                Inscripcion.objects.filter(
                    usuario=beatriz, curso=self.avanzado
                ).exists()
            )
            self.assertFalse(
                Inscripcion.objects.filter(
                    usuario=self.alice, curso=self.avanzado
                ).exists()
            )

    def test_curso_no_publicado_se_rechaza(self):
        with self.en_a():
            ruta = RutaPage.objects.get(clave_curriculo="nucleo")
            borrador = ruta.add_child(
                instance=CursoPage(
                    title="Curso en borrador", slug="borrador", live=False
                )
            )
        for destino in ({"usuario": self.alice.pk}, {"unidad": self.unidad.pk}):
            response = self._inscribir(curso=borrador.pk, **destino)
            self.assertEqual(response.status_code, 200)
            self.assertContains(
                response, "El curso elegido no existe o no está publicado"
            )
        self.assertNotContains(response, "Curso en borrador")  # ni en la lista
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())
        response = self.client_a.get(f"/encargado/cursos/{borrador.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_exige_una_persona_o_una_unidad(self):
        for destino in ({}, {"usuario": self.alice.pk, "unidad": self.unidad.pk}):
            response = self._inscribir(curso=self.curso.pk, **destino)
            self.assertContains(response, "Elija una persona o una unidad completa")
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())


class AvanceCursoEncargadoTests(EncargadoTestCase):
    def setUp(self):
        super().setUp()
        self.beatriz = self._persona("Beatriz", "Bravo", self.otra_unidad)
        with self.en_a():
            obligatorias = [x for x in lecciones_de(self.curso) if x.obligatoria]
            self.porcentaje = round(100 / len(obligatorias))
            self.completado_at = timezone.now() - dt.timedelta(days=3)
            en_curso = InscripcionFactory(usuario=self.alice, curso=self.curso)
            leccion_completar(inscripcion=en_curso, leccion=obligatorias[0])
            with time_machine.travel(self.completado_at, tick=False):
                curso_completar(self.beatriz, self.curso)
            InscripcionFactory(usuario=self.edu, curso=self.curso)

    def _avance(self, consulta: str = ""):
        return self.client_a.get(f"/encargado/cursos/{self.curso.pk}/{consulta}")

    def test_tabla_muestra_avance_por_persona_sin_rut(self):
        response = self._avance()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<div class="tabla-desplazable">')
        alice = _fila(response, "Alice Alfa")
        self.assertIn("Primera Comisaría", alice)
        self.assertIn("etiqueta--en_curso", alice)
        self.assertIn(f"<td>{self.porcentaje} %</td>", alice)
        beatriz = _fila(response, "Beatriz Bravo")
        self.assertIn("Segunda Comisaría", beatriz)
        self.assertIn("etiqueta--completado", beatriz)
        self.assertIn("<td>100 %</td>", beatriz)
        fecha = timezone.localtime(self.completado_at).strftime("%d-%m-%Y")
        self.assertIn(fecha, beatriz)
        edu = _fila(response, "Edu Alfa")
        self.assertIn("etiqueta--no_iniciado", edu)
        self.assertIn("<td>0 %</td>", edu)
        self.assertNotContains(response, "15432876")
        self.assertNotContains(response, "15.432.876")
        self.assertNotContains(response, "876-9")

    def test_filtra_por_unidad(self):
        response = self._avance(f"?unidad={self.otra_unidad.pk}")
        self.assertContains(response, "Beatriz Bravo")
        self.assertNotContains(response, "Alice Alfa")
        self.assertNotContains(response, "Edu Alfa")

    def test_consultas_no_crecen_con_las_personas(self):
        self._avance()  # calienta cachés (sitio de Wagtail, sesión)
        with CaptureQueriesContext(connection) as antes:
            self._avance()
        for i in range(4):
            usuario = self._persona(f"Extra{i}", "Prueba", self.unidad)
            with self.en_a():
                InscripcionFactory(usuario=usuario, curso=self.curso)
        with CaptureQueriesContext(connection) as despues:
            response = self._avance()
        self.assertContains(response, "Extra3 Prueba")
        self.assertEqual(len(despues), len(antes))

    def test_curso_inexistente_es_404(self):
        with self.en_a():
            ultimo = CursoPage.objects.order_by("-pk").first().pk
        response = self.client_a.get(f"/encargado/cursos/{ultimo + 1000}/")
        self.assertEqual(response.status_code, 404)

    def test_solo_lista_inscripciones_del_tenant(self):
        with self.en_b():
            curso_b = curso_por_clave("que-es-la-trata")
            InscripcionFactory(usuario=self.bob, curso=curso_b)
        response = self._avance()
        self.assertContains(response, "Alice Alfa")
        self.assertNotContains(response, "Bob")
        self.assertNotContains(response, "Beta")
        with self.en_b():
            self.assertTrue(Inscripcion.objects.filter(usuario=self.bob).exists())
