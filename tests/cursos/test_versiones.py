"""Versiones de un curso y reentrenamiento (issue 16, DESIGN.md §5.6).

La editora publica la versión 2 del curso del protocolo en el admin, la encargada ve
quién quedó capacitado en la versión anterior por unidad y le asigna la actualización
con plazo, la persona la completa y vuelve a estar al día; su historia en los
indicadores guarda los dos hechos (v1 y v2). Todo por las pantallas.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from certificados.models import Certificado
from certificados.services import certificado_emitir
from content.models import RegistroAuditoria
from cursos.models import CursoPage, Inscripcion, LeccionPage, VersionCurso
from cursos.selectors import desactualizados
from cursos.services.versiones import version_curriculo_sincronizar, version_vigente
from evaluaciones.models import Evaluacion, Intento
from indicadores.models import Hecho, VersionNacional
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import (
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    curso_por_clave,
    rut_valido,
)
from tests.evaluaciones.factories import formulario, respuestas_correctas
from verificacion.models import EstadoCertificado, RegistroCertificado

PROTOCOLO = "protocolo-intersectorial"


def _texto_html(contenido: str) -> str:
    sin_etiquetas = re.sub(r"<[^>]+>", " ", contenido)
    return re.sub(r"\s+", " ", html.unescape(sin_etiquetas)).strip()


def _texto(response) -> str:
    return _texto_html(response.content.decode())


class VersionesTestCase(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with cls._en(cls.tenant_a):
            cls.curso = curso_por_clave(PROTOCOLO)
            cls.corto = curso_por_clave("enfoques-transversales")
            cls.unidad = UnidadFactory(nombre="Primera Comisaría")
            cls.otra = UnidadFactory(nombre="Segunda Comisaría")
            PerfilFactory(
                usuario=cls.alice, unidad=cls.unidad, rut=rut_valido(12_345_678)
            )
            cls.carla = UsuarioFactory(first_name="Carla", last_name="Cortés")
            PerfilFactory(
                usuario=cls.carla, unidad=cls.otra, rut=rut_valido(13_456_789)
            )
            cls.carla.set_password(CLAVE)
            cls.carla.save()
            # Alice y Carla se capacitaron en la versión 1, con sus certificados (la
            # tarea de emisión se llama aquí: setUpTestData no llega al commit).
            for persona in (cls.alice, cls.carla):
                curso_completar(persona, curso_por_clave("que-es-la-trata"))
                inscripcion = curso_completar(persona, cls.curso)
                certificado_emitir(inscripcion_id=inscripcion.pk)
        connection.set_schema_to_public()

    @staticmethod
    def _en(tenant):
        from django_tenants.utils import tenant_context

        return tenant_context(tenant)

    # -- pasos por pantalla -------------------------------------------------------

    def _publicar_v2(self, **datos):
        self.ingresar(self.client_a, "edu")
        datos = {
            "tipo": "mayor",
            "resumen": "La Ley 21.325 reemplaza al DEM por el SERMIG.",
            "requiere": "completo",
            **datos,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client_a.post(
                f"/admin/cursos/{self.curso.pk}/versiones/", datos, follow=True
            )

    def _asignar(self, client, curso_id, **datos):
        plazo = timezone.localdate() + dt.timedelta(days=30)
        datos = {"plazo": plazo.isoformat(), **datos}
        return client.post(f"/encargado/versiones/{curso_id}/", datos, follow=True)

    def _completar_por_pantalla(self, username: str, curso: CursoPage) -> None:
        self.ingresar(self.client_a, username)
        with self.en_a():
            lecciones = list(
                LeccionPage.objects.live()
                .child_of(curso)
                .filter(obligatoria=True)
                .order_by("path")
            )
        with self.captureOnCommitCallbacks(execute=True):
            for leccion in lecciones:
                response = self.client_a.post(f"/lecciones/{leccion.pk}/completar/")
                self.assertEqual(response.status_code, 302)
        # Un ciclo nuevo exige aprobar de nuevo la evaluación final.
        with self.en_a():
            evaluacion = Evaluacion.objects.get(curso=curso)
        self.client_a.post(f"/evaluaciones/{evaluacion.pk}/iniciar/")
        with self.en_a():
            intento = Intento.objects.get(
                evaluacion=evaluacion,
                usuario__username=username,
                estado=Intento.Estado.ABIERTO,
            )
            respuestas = respuestas_correctas(intento)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client_a.post(
                f"/evaluaciones/intentos/{intento.pk}/enviar/", formulario(respuestas)
            )
        self.assertEqual(response.status_code, 302)

    def _verificar(self, codigo: str) -> str:
        return _texto(self.client_publico.get(f"/verificar/{codigo}/"))


class PublicarVersionTests(VersionesTestCase):
    def test_el_recorrido_completo_deja_a_la_persona_al_dia_y_con_dos_hechos(self):
        with self.en_a():
            cert_v1 = Certificado.objects.get(usuario=self.alice, curso=self.curso)
            self.assertEqual(cert_v1.version, "1.0")

        # 1. La editora publica la versión 2 en el admin.
        response = self._publicar_v2()
        self.assertContains(response, "Se publicó la versión 2.0")
        with self.en_a():
            self.assertEqual(CursoPage.objects.get(pk=self.curso.pk).version, "2.0")
            cert_v1.refresh_from_db()
            self.assertEqual(
                cert_v1.estado_efectivo, EstadoCertificado.VERSION_ANTERIOR
            )
            self.assertTrue(
                RegistroAuditoria.objects.filter(action="capacita.version").exists()
            )
        self.ingresar(self.client_a, "alice")
        texto = _texto(self.client_a.get("/certificados/"))
        self.assertIn("versión 1.0", texto)
        self.assertIn("debe actualizar su capacitación", texto)
        texto = self._verificar(cert_v1.codigo)
        self.assertIn("Versión anterior", texto)
        self.assertIn("Capacitado/a en la versión 1", texto)

        # 2. La encargada ve a quienes quedaron atrás, por unidad.
        self.ingresar(self.client_a, "olga")
        texto = _texto(self.client_a.get("/encargado/versiones/"))
        self.assertIn(self.curso.title, texto)
        response = self.client_a.get(f"/encargado/versiones/{self.curso.pk}/")
        texto = _texto(response)
        self.assertIn("En versión anterior: 2", texto)
        self.assertIn("Primera Comisaría", texto)
        self.assertIn("Alice Alfa", texto)
        self.assertIn("Carla Cortés", texto)
        self.assertIn("Sin asignar", texto)

        # 3. Asigna la actualización (el curso completo: un ciclo nuevo) con plazo.
        texto = _texto(self._asignar(self.client_a, self.curso.pk))
        self.assertIn("Actualización asignada a 2 personas", texto)
        self.assertIn("Asignada · plazo", texto)
        with self.en_a():
            ciclo2 = Inscripcion.objects.get(
                usuario=self.alice, curso=self.curso, ciclo=2
            )
            self.assertEqual(ciclo2.plazo, timezone.localdate() + dt.timedelta(days=30))
            self.assertEqual(ciclo2.actualiza_version.numero, 2)
            self.assertEqual(ciclo2.inscrito_por, self.olga)
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.actualizacion"
                ).exists()
            )
            # La persona recibe el aviso de actualización (app avisos), con el plazo.
            from avisos.models import Aviso

            aviso = Aviso.objects.get(usuario=self.alice, categoria="actualizacion")
            self.assertIn("Debe actualizar su capacitación", aviso.titulo)
            self.assertIn("Plazo para completarlo", aviso.texto)
        # Asignar de nuevo no duplica.
        texto = _texto(self._asignar(self.client_a, self.curso.pk))
        self.assertIn("Actualización asignada a 0 personas (2 ya la tenían)", texto)

        # 4. Alice completa la actualización por las pantallas.
        self._completar_por_pantalla("alice", self.curso)
        with self.en_a():
            ciclo2.refresh_from_db()
            self.assertIsNotNone(ciclo2.completado_at)
            cert_v2 = Certificado.objects.get(usuario=self.alice, ciclo=2)
            self.assertEqual(cert_v2.version, "2.0")
            self.assertEqual(cert_v2.estado_efectivo, EstadoCertificado.VIGENTE)
            cert_v1.refresh_from_db()
            self.assertEqual(cert_v1.estado, EstadoCertificado.REEMPLAZADO)

        # 5. Vuelve a estar al día: ya no figura en la lista de la encargada.
        self.ingresar(self.client_a, "olga")
        texto = _texto(self.client_a.get(f"/encargado/versiones/{self.curso.pk}/"))
        self.assertIn("En versión anterior: 1", texto)
        self.assertNotIn("Alice Alfa", texto)
        self.assertIn("Carla Cortés", texto)

        # La verificación pública dice en qué versión se capacitó.
        texto = self._verificar(cert_v2.codigo)
        self.assertIn("Válido", texto)
        mes = timezone.localdate().strftime("%Y")
        self.assertRegex(texto, r"Capacitado/a en la versión 2 \(\w+ de " + mes + r"\)")

        # 6. Su historia nacional guarda los dos hechos, v1 y v2.
        with schema_context("public"):
            hechos = Hecho.objects.filter(
                tenant=self.tenant_a,
                tipo=Hecho.Tipo.CURSO,
                origen_id__in=[cert_v1.inscripcion_id, ciclo2.pk],
            ).order_by("fecha", "pk")
            self.assertEqual(
                [(h.version, h.version_mayor) for h in hechos], [("1.0", 1), ("2.0", 2)]
            )
            self.assertEqual(len({h.persona for h in hechos}), 1)
            vigente = VersionNacional.objects.get(curso_ref=f"alfa:{self.curso.pk}")
            self.assertEqual(vigente.numero, 2)

        # 7. El tablero de la MITP cuenta por versión: 2 en v1, 1 en v2, 1 atrasada.
        connection.set_schema_to_public()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, "mitp")
        response = self.client_publico.get("/indicadores/")
        fila = re.search(
            r"<tr><th scope=\"row\">"
            + re.escape(html.escape(self.curso.title))
            + r"</th>.*?</tr>",
            response.content.decode(),
            re.S,
        )
        self.assertIsNotNone(fila)
        self.assertEqual(
            _texto_html(fila.group(0)), f"{self.curso.title} 2 v1: 2 · v2: 1 1"
        )

    def test_curso_de_actualizacion_pone_al_dia_en_la_version_nueva(self):
        self._publicar_v2(requiere="actualizacion", curso_actualizacion=self.corto.pk)
        self.ingresar(self.client_a, "olga")
        response = self.client_a.get(f"/encargado/versiones/{self.curso.pk}/")
        self.assertContains(
            response, f"La actualización es el curso «{self.corto.title}»"
        )
        self._asignar(self.client_a, self.curso.pk, unidad=self.unidad.pk)
        with self.en_a():
            # Solo la unidad elegida: Carla (otra unidad) no recibe nada.
            self.assertTrue(
                Inscripcion.objects.filter(
                    usuario=self.alice, curso=self.corto
                ).exists()
            )
            self.assertFalse(
                Inscripcion.objects.filter(
                    usuario=self.carla, curso=self.corto
                ).exists()
            )
        # El curso corto tiene su propia evaluación final: Alice lo recorre entero.
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            curso_completar(self.alice, self.corto)
        with self.en_a():
            delta = Inscripcion.objects.get(usuario=self.alice, curso=self.corto)
            self.assertEqual(delta.version.curso_id, self.curso.pk)
            cert = Certificado.objects.get(inscripcion=delta)
            self.assertEqual(cert.version, "2.0")
            self.assertEqual(cert.curso_titulo, self.curso.title)
            anterior = Certificado.objects.get(usuario=self.alice, curso=self.curso)
            self.assertEqual(anterior.estado, EstadoCertificado.REEMPLAZADO)
        self.ingresar(self.client_a, "olga")
        texto = _texto(self.client_a.get(f"/encargado/versiones/{self.curso.pk}/"))
        self.assertNotIn("Alice Alfa", texto)
        self.assertIn("Carla Cortés", texto)
        with schema_context("public"):
            hecho = Hecho.objects.get(tenant=self.tenant_a, origen_id=delta.pk)
            self.assertEqual(hecho.version, "2.0")
            self.assertEqual(hecho.curso_ref, f"alfa:{self.curso.pk}")

    def test_version_menor_no_deja_a_nadie_atras(self):
        response = self._publicar_v2(tipo="menor", resumen="Corrige una errata.")
        self.assertContains(response, "Se publicó la versión 1.1")
        with self.en_a():
            cert = Certificado.objects.get(usuario=self.alice, curso=self.curso)
            self.assertEqual(cert.estado_efectivo, EstadoCertificado.VIGENTE)
        self.ingresar(self.client_a, "olga")
        texto = _texto(self.client_a.get("/encargado/versiones/"))
        self.assertIn("Ningún curso ha publicado una versión mayor nueva", texto)

    def test_actualizacion_sin_curso_elegido_se_rechaza_con_mensaje(self):
        response = self._publicar_v2(requiere="actualizacion")
        self.assertContains(response, "Elija el curso de actualización")
        with self.en_a():
            self.assertEqual(version_vigente(self.curso).numero, 1)

    def test_plazo_pasado_se_rechaza(self):
        self._publicar_v2()
        self.ingresar(self.client_a, "olga")
        ayer = timezone.localdate() - dt.timedelta(days=1)
        texto = _texto(
            self._asignar(self.client_a, self.curso.pk, plazo=ayer.isoformat())
        )
        self.assertIn("El plazo no puede ser una fecha pasada", texto)
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(ciclo=2).exists())


class SinVersionNuevaTests(VersionesTestCase):
    def test_sin_version_mayor_nueva_nadie_esta_atrasado_ni_se_asigna_nada(self):
        self.ingresar(self.client_a, "olga")
        texto = _texto(self.client_a.get(f"/encargado/versiones/{self.curso.pk}/"))
        self.assertIn("están al día con la versión vigente", texto)
        self._asignar(self.client_a, self.curso.pk)
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(ciclo=2).exists())
            # Mirar la pantalla no escribe versiones.
            self.assertEqual(VersionCurso.objects.filter(curso=self.curso).count(), 1)


class CursoNuevoTests(CapacitaTestCase):
    def test_un_curso_creado_en_el_admin_parte_en_la_version_1_0(self):
        from wagtail.test.utils.form_data import rich_text

        from cursos.models import RutaPage

        with self.en_a():
            ruta = RutaPage.objects.first()
        self.ingresar(self.client_a, "edu")
        response = self.client_a.post(
            f"/admin/pages/add/cursos/cursopage/{ruta.pk}/",
            {
                "title": "Curso nuevo de la editora",
                "slug": "curso-nuevo-editora",
                "resumen": "Un curso de prueba.",
                "objetivos": rich_text(""),
                "horas": "2",
                "modalidad": "online",
                "acciones_plan": "E1-A3.1",
                "version": "7.0",
                "vigencia_meses": "24",
                "action-publish": "action-publish",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        with self.en_a():
            curso = CursoPage.objects.get(slug="curso-nuevo-editora")
            # La versión no se escribe a mano: se publica con el botón «Versiones».
            self.assertEqual(curso.version, "1.0")
            self.assertEqual(version_vigente(curso).etiqueta, "1.0")


class CurriculoVersionesTests(VersionesTestCase):
    def test_el_yaml_crea_la_v1_y_un_2_0_publica_una_version_mayor(self):
        with self.en_a():
            v1 = version_vigente(self.curso)
            self.assertEqual((v1.numero, v1.menor), (1, 0))
            with self.captureOnCommitCallbacks(execute=True):
                v2 = version_curriculo_sincronizar(curso=self.curso, etiqueta="2.0")
            self.assertEqual(v2.tipo, VersionCurso.Tipo.MAYOR)
            self.assertEqual(CursoPage.objects.get(pk=self.curso.pk).version, "2.0")
            cert = Certificado.objects.get(usuario=self.alice, curso=self.curso)
            self.assertEqual(cert.estado, EstadoCertificado.VERSION_ANTERIOR)
            # Volver a cargar el mismo YAML no publica otra.
            self.assertEqual(
                version_curriculo_sincronizar(curso=self.curso, etiqueta="2.0").pk,
                v2.pk,
            )


class RolesYAislamientoTests(VersionesTestCase):
    def test_funcionaria_no_entra_a_las_pantallas(self):
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get("/encargado/versiones/").status_code, 403)
        self.assertEqual(
            self.client_a.get(f"/encargado/versiones/{self.curso.pk}/").status_code, 403
        )
        response = self.client_a.get(f"/admin/cursos/{self.curso.pk}/versiones/")
        self.assertIn(response.status_code, (302, 403))
        self.assertEqual(
            self.client_a.post(
                f"/admin/cursos/{self.curso.pk}/versiones/",
                {"tipo": "mayor", "resumen": "x", "requiere": "completo"},
            ).status_code
            in (302, 403),
            True,
        )
        with self.en_a():
            self.assertEqual(version_vigente(self.curso).numero, 1)

    def test_encargada_sin_rol_de_editora_no_publica_versiones(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post(
            f"/admin/cursos/{self.curso.pk}/versiones/",
            {"tipo": "mayor", "resumen": "x", "requiere": "completo"},
        )
        self.assertIn(response.status_code, (302, 403))
        with self.en_a():
            self.assertEqual(version_vigente(self.curso).numero, 1)

    def test_la_editora_ve_el_boton_versiones_en_el_editor_del_curso(self):
        self.ingresar(self.client_a, "edu")
        response = self.client_a.get(f"/admin/pages/{self.curso.pk}/edit/")
        self.assertContains(response, f"/admin/cursos/{self.curso.pk}/versiones/")

    def test_encargada_de_beta_no_ve_ni_actualiza_a_las_personas_de_alfa(self):
        self._publicar_v2()
        with self.en_b():
            usuario_asegurar(
                username="berta", password=CLAVE, rol=Rol.ENCARGADO, first_name="Berta"
            )
            # El curso de la plantilla existe también en beta, con el mismo id.
            self.assertTrue(CursoPage.objects.filter(pk=self.curso.pk).exists())
        self.ingresar(self.client_b, "berta")
        response = self.client_b.get(f"/encargado/versiones/{self.curso.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Alice")
        self.assertNotContains(response, "Carla")
        self._asignar(self.client_b, self.curso.pk)
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(ciclo=2).exists())
        # La sesión de beta no sirve en alfa.
        response = self.client_b.get(
            f"/encargado/versiones/{self.curso.pk}/", HTTP_HOST=DOMINIO_A
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])

    def test_editora_de_beta_no_publica_en_alfa(self):
        with self.en_b():
            usuario_asegurar(username="eva", password=CLAVE, rol=Rol.EDITOR)
        self.ingresar(self.client_b, "eva")
        response = self.client_b.post(
            f"/admin/cursos/{self.curso.pk}/versiones/",
            {"tipo": "mayor", "resumen": "x", "requiere": "completo"},
            HTTP_HOST=DOMINIO_A,
        )
        self.assertEqual(response.status_code, 302)
        with self.en_a():
            self.assertEqual(version_vigente(self.curso).numero, 1)
        with self.en_b():
            # Y en beta, su propio curso sigue en la v1 (no publicó nada).
            self.assertEqual(
                version_vigente(CursoPage.objects.get(pk=self.curso.pk)).numero, 1
            )

    def test_el_registro_publico_no_lleva_rut(self):
        self._publicar_v2()
        with self.en_a():
            codigo = Certificado.objects.get(
                usuario=self.alice, curso=self.curso
            ).codigo
        registro = RegistroCertificado.objects.get(codigo=codigo)
        self.assertEqual(registro.version, "1.0")
        self.assertNotIn("12345678", self._verificar(codigo))


class DemoVersionesTests(VersionesTestCase):
    def test_la_demo_deja_un_curso_con_dos_versiones_y_personas_atrasadas(self):
        from demo.versiones import versiones_demo_asegurar

        with self.en_a():
            companera = UsuarioFactory(first_name="Dora", last_name="Demo")
            PerfilFactory(
                usuario=companera, unidad=self.unidad, rut=rut_valido(14_567_890)
            )
            with self.captureOnCommitCallbacks(execute=True):
                version = versiones_demo_asegurar(
                    editor="edu", encargado="olga", funcionario="alice"
                )
            self.assertEqual(version.etiqueta, "2.0")
            self.assertEqual(version.publicada_por, self.edu)
            # Dora se puso al día; Alice (asignada, con plazo) y Carla siguen atrás.
            atrasadas = {
                d.usuario.username: d for d in desactualizados(version=version)
            }
            self.assertEqual(set(atrasadas), {self.alice.username, self.carla.username})
            self.assertIsNotNone(atrasadas[self.alice.username].actualizacion.plazo)
            self.assertIsNone(atrasadas[self.carla.username].actualizacion)
            # Idempotente: otra pasada no publica una v3.
            self.assertEqual(
                versiones_demo_asegurar(
                    editor="edu", encargado="olga", funcionario="alice"
                ).pk,
                version.pk,
            )
