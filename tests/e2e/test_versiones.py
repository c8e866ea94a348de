"""Versiones de un curso en Chromium (issue 16).

La editora publica la versión 2 del curso del protocolo desde su página en el admin de
Wagtail; la encargada ve en su panel a quien quedó en la versión anterior y le asigna
la actualización con plazo; la funcionaria hace el curso otra vez (un ciclo nuevo) y
la verificación pública de su certificado nuevo dice «Capacitado/a en la versión 2».

Antes de empezar, la funcionaria ya se había capacitado en la v1 (por los servicios,
como lo hace la demo). El servidor corre las tareas en el proceso (sin broker).
"""

from __future__ import annotations

import os

from django.conf import global_settings
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from certificados.models import Certificado
from certificados.services import certificado_emitir
from content.models import RegistroAuditoria
from cursos.models import CursoPage, Inscripcion, LeccionPage, Perfil, VersionCurso
from demo.evaluaciones import curso_demo_aprobar
from evaluaciones.models import Intento
from indicadores.models import Hecho, VersionNacional
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import UnidadFactory, curso_por_clave, rut_valido
from tests.e2e.base import NavegadorTestCase
from tests.evaluaciones.factories import respuestas_correctas
from verificacion.models import RegistroCertificado

EDITORA, ENCARGADA, APRENDIZ = (
    "e2e-ver-editora",
    "e2e-ver-encargada",
    "e2e-ver-aprendiz",
)
UNIDAD = "Unidad Versiones E2E"
INSTITUCION = "Institución Versiones E2E"


@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class VersionesNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        with tenant_context(self.tenant):
            self.curso = curso_por_clave("protocolo-intersectorial")
            usuario_asegurar(username=EDITORA, password=CLAVE, rol=Rol.EDITOR)
            usuario_asegurar(username=ENCARGADA, password=CLAVE, rol=Rol.ENCARGADO)
            self.aprendiz = usuario_asegurar(
                username=APRENDIZ,
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Valeria",
                last_name="Versiones",
            )
            unidad = UnidadFactory(nombre=UNIDAD, institucion__nombre=INSTITUCION)
            Perfil.objects.update_or_create(
                usuario=self.aprendiz,
                defaults={"unidad": unidad, "rut": rut_valido(18_765_432)},
            )
            # La capacitación en la v1, antes de que cambie el protocolo.
            for curso in [*self.curso.prerrequisitos.all(), self.curso]:
                inscripcion = curso_demo_aprobar(usuario=self.aprendiz, curso=curso)
                certificado_emitir(inscripcion_id=inscripcion.pk)
        connection.set_schema_to_public()
        self.sitio = self._levantar_servidor()
        self.publico = f"http://localhost:{self.puerto}"

    def _borrar_datos(self):
        connections.close_all()
        with tenant_context(self.tenant):
            from django.contrib.auth import get_user_model

            usuarios = get_user_model().objects.filter(
                username__in=[EDITORA, ENCARGADA, APRENDIZ]
            )
            inscripciones = list(
                Inscripcion.objects.filter(usuario__in=usuarios).values_list(
                    "pk", flat=True
                )
            )
            codigos = list(
                Certificado.objects.filter(usuario__in=usuarios).values_list(
                    "codigo", flat=True
                )
            )
            versiones = VersionCurso.objects.filter(
                curso_id=self.curso.pk, numero__gt=1
            )
            RegistroAuditoria.objects.filter(
                action__in=["capacita.version", "capacita.actualizacion"]
            ).delete()
            versiones.delete()
            curso = CursoPage.objects.get(pk=self.curso.pk)
            CursoPage.objects.filter(pk=curso.pk).update(version="1.0")
            revision = curso.latest_revision
            if revision is not None:
                revision.content["version"] = "1.0"
                revision.save(update_fields=["content"])
            usuarios.delete()
            from cursos.models import Institucion, Unidad

            Unidad.objects.filter(nombre=UNIDAD).delete()
            Institucion.objects.filter(nombre=INSTITUCION).delete()
        with schema_context("public"):
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            Hecho.objects.filter(
                tenant=self.tenant, tipo=Hecho.Tipo.CURSO, origen_id__in=inscripciones
            ).delete()
            VersionNacional.objects.filter(curso_ref=f"alfa:{self.curso.pk}").delete()

    def _ingresar(self, navegador, usuario: str):
        pagina = navegador.new_context(
            viewport={"width": 1280, "height": 900}, locale="es-CL"
        ).new_page()
        pagina.on("pageerror", lambda e: self.errores.append(str(e)))
        pagina.goto(f"{self.sitio}/ingresar/")
        pagina.fill("input[name=username]", usuario)
        pagina.fill("input[name=password]", CLAVE)
        with pagina.expect_navigation():
            pagina.locator("form:has(input[name=password]) [type=submit]").click()
        return pagina

    def test_editora_publica_v2_encargada_asigna_y_la_funcionaria_se_pone_al_dia(self):
        self.errores: list[str] = []
        with self.navegador() as navegador:
            try:
                # 1. La editora, desde la página del curso en el admin.
                editora = self._ingresar(navegador, EDITORA)
                editora.goto(f"{self.sitio}/admin/pages/{self.curso.pk}/edit/")
                # El botón «Versiones» está en el menú «Acciones» de la cabecera.
                editora.locator("button[aria-label='Acciones']").first.click()
                with editora.expect_navigation():
                    editora.get_by_role("link", name="Versiones", exact=True).click()
                self.assertIn(f"/admin/cursos/{self.curso.pk}/versiones/", editora.url)
                editora.get_by_label(
                    "Mayor (invalida la capacitación anterior)"
                ).check()
                editora.fill(
                    "#id_resumen", "El SERMIG reemplaza al DEM en la derivación."
                )
                editora.get_by_label("Rehacer el curso completo").check()
                with editora.expect_navigation():
                    editora.get_by_role("button", name="Publicar versión").click()
                self.assertIn("Se publicó la versión 2.0", editora.content())

                # 2. La encargada ve a la funcionaria en su unidad y le asigna.
                encargada = self._ingresar(navegador, ENCARGADA)
                encargada.goto(f"{self.sitio}/encargado/")
                with encargada.expect_navigation():
                    encargada.get_by_role(
                        "link", name="Versiones de los cursos: quién debe actualizarse"
                    ).click()
                with encargada.expect_navigation():
                    encargada.get_by_role(
                        "link", name=f"Ver por unidad y asignar · {self.curso.title}"
                    ).click()
                self.assertIn(UNIDAD, encargada.content())
                self.assertIn("Valeria Versiones", encargada.content())
                plazo = timezone.localdate().replace(year=timezone.localdate().year + 1)
                encargada.fill("#id_plazo", plazo.isoformat())
                with encargada.expect_navigation():
                    encargada.get_by_role(
                        "button", name="Asignar la actualización a todas/os"
                    ).click()
                self.assertIn("Actualización asignada a", encargada.content())
                self.assertIn(
                    f"Asignada · plazo {plazo.strftime('%d-%m-%Y')}",
                    encargada.content(),
                )

                # 3. La funcionaria rehace el curso (ciclo 2): sus lecciones.
                aprendiz = self._ingresar(navegador, APRENDIZ)
                with tenant_context(self.tenant):
                    url_curso = self.curso.url
                    lecciones = [
                        leccion.url
                        for leccion in LeccionPage.objects.live()
                        .child_of(self.curso)
                        .filter(obligatoria=True)
                        .order_by("path")
                    ]
                connection.set_schema_to_public()
                for url in lecciones:
                    aprendiz.goto(self.sitio + url)
                    with aprendiz.expect_navigation():
                        aprendiz.locator("form.leccion__fin button").click()
                # La aprobación del ciclo 1 no vale para el 2: rinde la final otra vez.
                aprendiz.goto(self.sitio + url_curso)
                self.assertIn("falta la evaluación", aprendiz.content())
                with aprendiz.expect_navigation():
                    aprendiz.get_by_role(
                        "link", name="Rendir evaluación final"
                    ).first.click()
                with aprendiz.expect_navigation():
                    aprendiz.get_by_role("button", name="Comenzar o continuar").click()
                with tenant_context(self.tenant):
                    intento = Intento.objects.get(
                        usuario=self.aprendiz,
                        evaluacion__curso=self.curso,
                        estado=Intento.Estado.ABIERTO,
                    )
                    respuestas = respuestas_correctas(intento)
                connection.set_schema_to_public()
                for pregunta, elegidas in respuestas.items():
                    if isinstance(elegidas, dict):
                        for opcion, pareja in elegidas.items():
                            aprendiz.select_option(f"#p{pregunta}_{opcion}", pareja)
                    else:
                        for opcion in elegidas:
                            aprendiz.check(
                                f"input[name='p{pregunta}'][value='{opcion}']"
                            )
                with aprendiz.expect_navigation():
                    aprendiz.get_by_role("button", name="Enviar respuestas").click()
                self.assertIn("Aprobado", aprendiz.locator("main").inner_text())

                # 4. La verificación pública del certificado nuevo dice la versión 2.
                with tenant_context(self.tenant):
                    nuevo = Certificado.objects.get(
                        usuario=self.aprendiz, curso=self.curso, ciclo=2
                    )
                    anterior = Certificado.objects.get(
                        usuario=self.aprendiz, curso=self.curso, ciclo=1
                    )
                connection.set_schema_to_public()
                self.assertEqual(nuevo.version, "2.0")
                publica = navegador.new_context(locale="es-CL").new_page()
                publica.goto(f"{self.publico}/verificar/{nuevo.codigo}/")
                texto = publica.locator("main").inner_text()
                self.assertIn("Válido", texto)
                self.assertRegex(
                    texto, r"Capacitado/a en la versión 2 \(\w+ de \d{4}\)"
                )
                publica.goto(f"{self.publico}/verificar/{anterior.codigo}/")
                self.assertIn("Reemplazado", publica.locator("main").inner_text())

                # 5. Al día: ya no figura entre quienes deben actualizarse.
                encargada.reload()
                self.assertNotIn("Valeria Versiones", encargada.content())
            finally:
                connections.close_all()
        self.assertEqual(self.errores, [])
