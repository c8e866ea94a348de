"""Accesibilidad: axe-core (npm) revisa en Chromium las páginas de cada actor.

Se inyecta ``node_modules/axe-core/axe.min.js`` en la página ya cargada y se corre
``axe.run`` con sus reglas por omisión (WCAG 2 A/AA y buenas prácticas). La prueba
exige cero infracciones graves o críticas; las moderadas y menores quedan en el
resumen ``.data/axe-resultados.json`` para el informe. Montaje en tests/e2e/base.py,
con datos con commit en el tenant alfa que se borran al terminar.
"""

from __future__ import annotations

import json
import unittest
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from certificados.models import Certificado
from content.h5p import paquete_crear
from content.models import PaqueteH5P
from cursos.models import Inscripcion, LeccionPage, Perfil
from evaluaciones.models import Categoria, Evaluacion, Intento, Pregunta
from indicadores.models import Exportacion, Hecho
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import (
    curso_completar,
    curso_por_clave,
    leccion_agregar,
    lecciones_de,
    rut_registrar,
    rut_valido,
)
from tests.e2e.base import (
    NavegadorTestCase,
    cuentas_publicas_borrar,
    grupo_publico_conservado,
    sesion_para,
)
from tests.evaluaciones.factories import evaluacion_crear, pregunta_vf
from verificacion.models import RegistroCertificado

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RESUMEN = Path(settings.BASE_DIR) / ".data" / "axe-resultados.json"
GRAVES = {"serious", "critical"}
PREFIJO = "e2e-a11y"
CATEGORIA = "E2E accesibilidad"
TITULO_QUIZ = "Evaluación E2E accesibilidad"
PAQUETE = "Caso E2E accesibilidad"
LECCION_H5P = "actividad-e2e-a11y"


def axe_revisar(pagina) -> list[dict]:
    """Corre axe-core en la página cargada y devuelve sus infracciones."""
    # Una sesión que no sirvió llevaría a revisar el formulario de ingreso.
    assert "/ingresar/" not in pagina.url or pagina.url.endswith("/ingresar/"), (
        pagina.url
    )
    # axe revisa los iframes (el reproductor H5P) solo si también corre en ellos.
    for marco in pagina.frames:
        if not marco.evaluate("typeof window.axe !== 'undefined'"):
            marco.add_script_tag(path=str(AXE))
    return pagina.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "),
                    html: n.html.slice(0, 200),
                    resumen: (n.failureSummary || "").slice(0, 300),
                })),
            }));
        }"""
    )


def _describir(pagina: str, infracciones: list[dict]) -> str:
    lineas = []
    for v in infracciones:
        lineas.append(f"[{pagina}] {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"][:8]:
            lineas.append(f"    {n['target']}: {n['html']}")
            if n["resumen"]:
                lineas.append(f"      {n['resumen']}")
    return "\n".join(lineas)


@unittest.skipUnless(AXE.exists(), "Falta axe-core en node_modules (make install)")
class AccesibilidadTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.inicio = timezone.now()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        # STORAGES se repite para que el almacenamiento tome el MEDIA_ROOT temporal.
        ajuste = override_settings(
            MEDIA_ROOT=self.media, STORAGES={**settings.STORAGES}
        )
        with ajuste, tenant_context(self.tenant):
            self.aprendiz = usuario_asegurar(
                username=f"{PREFIJO}-aprendiz",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Ana",
                last_name="Accesible",
            )
            rut_registrar(self.aprendiz, rut_valido(16_543_210))
            encargada = usuario_asegurar(
                username=f"{PREFIJO}-encargada", password=CLAVE, rol=Rol.ENCARGADO
            )
            curso = curso_por_clave("que-es-la-trata")
            # La tarea de emisión corre en el proceso (CELERY_TASK_ALWAYS_EAGER).
            curso_completar(self.aprendiz, curso)
            self.certificado = Certificado.objects.get(usuario=self.aprendiz)
            self.url_curso = curso.url
            self.url_leccion = lecciones_de(curso)[0].url
            paquete = paquete_crear(titulo=PAQUETE, archivo=pq.demo_archivo())
            self.url_leccion_h5p = leccion_agregar(
                curso,
                title="Actividad E2E accesibilidad",
                slug=LECCION_H5P,
                cuerpo=[pq.bloque_h5p(paquete)],
            ).url
            categoria = Categoria.objects.create(nombre=CATEGORIA)
            for n in range(2):
                pregunta_vf(categoria, codigo=f"E2E-A11Y-{n}", verdadera=False)
            # Una evaluación sin curso: la accesibilidad no depende de la inscripción.
            self.evaluacion = evaluacion_crear(
                reglas=[(categoria, 2)], titulo=TITULO_QUIZ, curso=None
            )
            self.sesion_aprendiz = sesion_para(self.aprendiz, DOMINIO_A)
            self.sesion_encargada = sesion_para(encargada, DOMINIO_A)
        connection.set_schema_to_public()
        self.enterContext(grupo_publico_conservado(Rol.COORDINADOR_MITP.value))
        coordinacion = usuario_asegurar(
            username=f"{PREFIJO}-mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        self.sesion_mitp = sesion_para(coordinacion, "localhost")
        self.base = self._levantar_servidor()
        self.publico = f"http://localhost:{self.puerto}"

    def _borrar_datos(self):
        connection.set_schema_to_public()
        codigos = []
        with tenant_context(self.tenant):
            usuarios = {"usuario__username__startswith": PREFIJO}
            codigos = list(
                Certificado.objects.filter(**usuarios).values_list("codigo", flat=True)
            )
            Certificado.objects.filter(**usuarios).delete()
            Intento.objects.filter(**usuarios).delete()
            Inscripcion.objects.filter(**usuarios).delete()
            Evaluacion.objects.filter(titulo=TITULO_QUIZ).delete()
            Pregunta.objects.filter(categoria__nombre=CATEGORIA).delete()
            Categoria.objects.filter(nombre=CATEGORIA).delete()
            Perfil.objects.filter(**usuarios).delete()
            for leccion in LeccionPage.objects.filter(slug=LECCION_H5P):
                leccion.delete()
            PaqueteH5P.objects.filter(titulo=PAQUETE).delete()
            self.aprendiz.__class__.objects.filter(
                username__startswith=PREFIJO
            ).delete()
        connection.set_schema_to_public()
        RegistroCertificado.objects.filter(codigo__in=codigos).delete()
        Hecho.objects.filter(tenant=self.tenant, created_at__gte=self.inicio).delete()
        Exportacion.objects.filter(created_at__gte=self.inicio).delete()
        cuentas_publicas_borrar([f"{PREFIJO}-mitp"])

    def _contexto(self, navegador, dominio: str, sesion: str | None, ancho: int):
        # axe se inyecta como script en línea, que la CSP del sitio bloquearía.
        contexto = navegador.new_context(
            viewport={"width": ancho, "height": 800}, locale="es-CL", bypass_csp=True
        )
        if sesion:
            contexto.add_cookies(
                [{"name": "sessionid", "value": sesion, "domain": dominio, "path": "/"}]
            )
        return contexto.new_page()

    def test_las_paginas_principales_no_tienen_infracciones_graves(self):
        resultados: dict[str, list[dict]] = {}
        codigo = self.certificado.codigo
        with self.navegador() as navegador:
            aprendiz = self._contexto(navegador, DOMINIO_A, self.sesion_aprendiz, 360)
            for nombre, ruta in [
                ("portada", "/"),
                ("curso", self.url_curso),
                ("leccion", self.url_leccion),
                ("leccion-h5p", self.url_leccion_h5p),
                ("evaluacion", f"/evaluaciones/{self.evaluacion.pk}/"),
                ("mis-certificados", "/certificados/"),
                ("mis-cursos", "/mis-cursos/"),
            ]:
                aprendiz.goto(self.base + ruta)
                if nombre == "leccion-h5p":
                    # El reproductor arma su iframe después de cargar la página.
                    marco = aprendiz.frame_locator("iframe.h5p-capacita__marco")
                    marco.get_by_role("button", name="Falso").wait_for()
                resultados[nombre] = axe_revisar(aprendiz)
            aprendiz.goto(f"{self.base}/evaluaciones/{self.evaluacion.pk}/")
            aprendiz.get_by_role("button", name="Comenzar o continuar").click()
            aprendiz.wait_for_url("**/evaluaciones/intentos/*/")
            resultados["intento"] = axe_revisar(aprendiz)
            falsos = aprendiz.get_by_label("Falso")
            for n in range(falsos.count()):
                with aprendiz.expect_response(lambda r: "/guardar/" in r.url):
                    falsos.nth(n).check()
            aprendiz.get_by_role("button", name="Enviar respuestas").click()
            aprendiz.wait_for_url("**/resultado/")
            resultados["resultado-evaluacion"] = axe_revisar(aprendiz)

            anonimo = self._contexto(navegador, "localhost", None, 360)
            for nombre, ruta in [
                ("ingresar", f"{self.base}/ingresar/"),
                ("verificar-formulario", f"{self.publico}/verificar/"),
                ("verificar-resultado", f"{self.publico}/verificar/{codigo}"),
            ]:
                anonimo.goto(ruta)
                resultados[nombre] = axe_revisar(anonimo)

            encargada = self._contexto(
                navegador, DOMINIO_A, self.sesion_encargada, 1280
            )
            for nombre, ruta in [
                ("encargado-panel", "/encargado/"),
                ("encargado-tablero", "/encargado/indicadores/"),
            ]:
                encargada.goto(self.base + ruta)
                resultados[nombre] = axe_revisar(encargada)

            mitp = self._contexto(navegador, "localhost", self.sesion_mitp, 1280)
            for nombre, ruta in [
                ("mitp-portada", "/"),
                ("mitp-tablero", "/indicadores/"),
            ]:
                mitp.goto(self.publico + ruta)
                resultados[nombre] = axe_revisar(mitp)

        resumen = {
            pagina: dict(Counter(v["impact"] for v in infracciones))
            for pagina, infracciones in resultados.items()
        }
        RESUMEN.parent.mkdir(parents=True, exist_ok=True)
        RESUMEN.write_text(
            json.dumps({"resumen": resumen, "detalle": resultados}, indent=2)
        )
        graves = {
            pagina: [v for v in infracciones if v["impact"] in GRAVES]
            for pagina, infracciones in resultados.items()
        }
        mensaje = "\n".join(_describir(p, v) for p, v in graves.items() if v)
        self.assertFalse(mensaje, "Infracciones graves o críticas de axe:\n" + mensaje)
