"""Anonimización por la encargada y por la MITP: los datos personales salen del tenant,
los hechos nacionales siguen contando sin vínculo, el registro público muestra
«Persona anonimizada» y ninguna cifra cambia."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.utils import timezone

from avisos.models import Aviso
from certificados.models import Certificado
from content.models import RegistroAuditoria
from cursos.models import Inscripcion, Perfil
from indicadores import selectors as ind
from indicadores.hechos import persona_clave
from indicadores.models import Hecho
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from verificacion.models import RegistroCertificado

from .base import PrivacidadTestCase
from .datos import APELLIDOS, CORREO, NOMBRES, RUT

PERSONAS = "/encargado/privacidad/"
MITP = "coordinacion-privacidad"


def cifras(tenant_id: int) -> dict:
    """Cada número del tablero nacional y del tenant (indicadores.selectors)."""
    anio = timezone.localdate().year
    return {
        "totales": ind.totales(),
        "por_dimension": {
            dim: ind.indicadores_calcular(agrupar_por=[dim]) for dim in ind.DIMENSIONES
        },
        "porcentaje_nacional": ind.porcentaje_nacional(anio=anio),
        "porcentaje_unidad": ind.porcentaje_por_unidad(anio=anio, tenant_id=tenant_id),
        "poblacion": ind.poblacion_tenant(anio=anio, tenant_id=tenant_id),
        "metas": ind.logrado_por_meta(),
    }


def tablero_mitp(cliente) -> str:
    html = cliente.get("/indicadores/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


class AnonimizacionTests(PrivacidadTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.clave = persona_clave(
                rut=RUT, schema_name="alfa", usuario_id=self.alice.pk
            )
        connection.set_schema_to_public()
        usuario_asegurar(
            username=MITP,
            password=CLAVE,
            rol=Rol.COORDINADOR_MITP,
            first_name="Marta",
            last_name="Coordinadora",
        )

    def anonimizar_por_pantalla(self, motivo="Solicitud de supresión de la titular"):
        self.ingresar(self.client_a, "olga")
        return self.client_a.post(
            f"{PERSONAS}personas/{self.alice.pk}/anonimizar/", {"motivo": motivo}
        )

    def test_las_cifras_no_cambian_y_los_hechos_pierden_el_vinculo(self):
        connection.set_schema_to_public()
        self.assertEqual(Hecho.objects.filter(persona=self.clave).count(), 2)
        self.ingresar(self.client_publico, MITP)
        antes, tablero_antes = (
            cifras(self.tenant_a.pk),
            tablero_mitp(self.client_publico),
        )
        r = self.anonimizar_por_pantalla()
        self.assertRedirects(r, PERSONAS, fetch_redirect_response=False)
        connection.set_schema_to_public()
        self.assertEqual(cifras(self.tenant_a.pk), antes)
        self.assertEqual(tablero_mitp(self.client_publico), tablero_antes)
        self.assertFalse(Hecho.objects.filter(persona=self.clave).exists())
        nuevas = set(
            Hecho.objects.filter(tenant=self.tenant_a).values_list("persona", flat=True)
        )
        self.assertEqual(len(nuevas), 1)

    def test_los_datos_personales_salen_del_tenant(self):
        self.anonimizar_por_pantalla()
        with self.en_a():
            alice = type(self.alice).objects.get(pk=self.alice.pk)
            self.assertEqual(
                (alice.first_name, alice.last_name, alice.email), ("", "", "")
            )
            self.assertTrue(alice.username.startswith("anonimizada-"))
            self.assertFalse(alice.is_active)
            self.assertFalse(alice.has_usable_password())
            self.assertFalse(alice.groups.exists())
            perfil = Perfil.objects.get(usuario=alice)
            self.assertEqual((perfil.rut, perfil.sexo, perfil.cargo), (None, "", ""))
            self.assertFalse(Aviso.objects.filter(usuario=alice).exists())
            # Lo que cuenta queda: inscripción completada, certificado válido.
            self.assertTrue(Inscripcion.objects.filter(usuario=alice).exists())
            certificado = Certificado.objects.get(usuario=alice)
            self.assertEqual(certificado.titular_nombre, "Persona anonimizada")
            for entrada in RegistroAuditoria.objects.all():
                texto = entrada.label + json.dumps(entrada.data, ensure_ascii=False)
                for dato in (NOMBRES, APELLIDOS, CORREO, RUT):
                    self.assertNotIn(dato, texto)
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.roles", object_id=str(alice.pk)
                ).exists()
            )
        r = self.client_a.post("/ingresar/", {"username": "alice", "password": CLAVE})
        self.assertEqual(r.status_code, 200)

    def test_la_verificacion_publica_dice_persona_anonimizada(self):
        self.anonimizar_por_pantalla()
        connection.set_schema_to_public()
        registro = RegistroCertificado.objects.get(codigo=self.certificado.codigo)
        self.assertEqual(registro.titular_nombre, "Persona anonimizada")
        r = self.client_publico.get(f"/verificar/{self.certificado.codigo}/")
        self.assertContains(r, "Persona anonimizada")
        self.assertNotContains(r, APELLIDOS)
        self.assertContains(r, "Válido")

    def test_la_sesion_abierta_de_la_persona_se_cierra(self):
        otro = self.client_class(HTTP_HOST="alfa.localhost")
        self.ingresar(otro, "alice")
        self.assertEqual(otro.get("/mis-datos/").status_code, 200)
        self.anonimizar_por_pantalla()
        self.assertEqual(otro.get("/mis-datos/").status_code, 302)

    def test_sin_motivo_no_se_anonimiza(self):
        self.anonimizar_por_pantalla(motivo="")
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, APELLIDOS)

    def test_la_encargada_ve_el_detalle_enmascarado_y_queda_auditado(self):
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(PERSONAS, {"texto": RUT})
        self.assertContains(r, f"{PERSONAS}personas/{self.alice.pk}/")
        r = self.client_a.get(f"{PERSONAS}personas/{self.alice.pk}/")
        self.assertContains(r, APELLIDOS)
        self.assertNotContains(r, RUT)
        self.assertContains(r, "**.***.")
        with self.en_a():
            lectura = RegistroAuditoria.objects.get(
                action="capacita.privacidad.lectura"
            )
            self.assertEqual(lectura.user, self.olga)
            self.assertEqual(lectura.object_id, str(self.alice.pk))
        bitacora = self.client_a.get(f"{PERSONAS}bitacora/")
        self.assertContains(bitacora, "Consulta de datos personales")
        self.assertContains(bitacora, "Olga Alfa")
        # También en Informes → Historial del sitio de Wagtail, con su filtro.
        historial = self.client_a.get(
            "/admin/reports/site-history/", {"action": "capacita.privacidad.lectura"}
        )
        self.assertContains(historial, "Consulta de datos personales")
        self.assertContains(historial, f"Datos de {NOMBRES} {APELLIDOS}")

    def test_otros_roles_no_entran(self):
        for usuario in ("alice", "edu"):
            self.ingresar(self.client_a, usuario)
            for url in (
                PERSONAS,
                f"{PERSONAS}personas/{self.alice.pk}/",
                f"{PERSONAS}retencion/",
                f"{PERSONAS}bitacora/",
            ):
                self.assertEqual(self.client_a.get(url).status_code, 403, url)
            r = self.client_a.post(
                f"{PERSONAS}personas/{self.alice.pk}/anonimizar/", {"motivo": "x"}
            )
            self.assertEqual(r.status_code, 403)
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, APELLIDOS)

    def test_la_encargada_de_otro_tenant_no_alcanza_a_la_persona(self):
        with self.en_b():
            usuario_asegurar(username="berta", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "berta")
        r = self.client_b.post(PERSONAS, {"texto": APELLIDOS})
        self.assertNotContains(r, APELLIDOS)
        self.assertNotContains(
            self.client_b.post(PERSONAS, {"texto": RUT}), "personas/"
        )
        # Con la sesión de beta en el host de alfa no hay sesión: a ingresar.
        self.client_a.cookies = self.client_b.cookies
        r = self.client_a.get(f"{PERSONAS}personas/{self.alice.pk}/")
        self.assertEqual(r.status_code, 302)

    def test_la_mitp_busca_por_post_y_anonimiza_en_el_tenant(self):
        self.ingresar(self.client_publico, MITP)
        r = self.client_publico.post(
            "/privacidad/", {"tenant": self.tenant_a.pk, "texto": RUT}
        )
        self.assertContains(r, f"{NOMBRES} {APELLIDOS}")
        self.assertNotContains(r, RUT)
        r = self.client_publico.post(
            "/privacidad/anonimizar/",
            {
                "tenant": self.tenant_a.pk,
                "usuario": self.alice.pk,
                "motivo": "Pedido por la titular a la MITP",
            },
        )
        self.assertRedirects(r, "/privacidad/", fetch_redirect_response=False)
        self.assertNotIn(RUT, r["Location"])
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, "")
            entrada = RegistroAuditoria.objects.get(
                action="capacita.privacidad.anonimizacion"
            )
            self.assertEqual(entrada.data["por"], "Marta Coordinadora")
            self.assertEqual(entrada.data["sitio"], "mitp")
        connection.set_schema_to_public()
        r = self.client_publico.get(
            "/privacidad/bitacora/", {"tenant": self.tenant_a.pk}
        )
        self.assertContains(r, "Anonimización de una persona")
        self.assertContains(r, "Marta Coordinadora")

    def test_solo_la_coordinacion_mitp_usa_la_pantalla_publica(self):
        connection.set_schema_to_public()
        usuario_asegurar(
            username="publico-sin-rol", password=CLAVE, rol=Rol.FUNCIONARIO
        )
        self.ingresar(self.client_publico, "publico-sin-rol")
        self.assertEqual(self.client_publico.get("/privacidad/").status_code, 403)
        r = self.client_publico.get(
            "/privacidad/bitacora/", {"tenant": self.tenant_a.pk}
        )
        self.assertEqual(r.status_code, 403)
        r = self.client_publico.post(
            "/privacidad/anonimizar/",
            {"tenant": self.tenant_a.pk, "usuario": self.alice.pk, "motivo": "x"},
        )
        self.assertEqual(r.status_code, 403)
        # La encargada de un tenant no tiene cuenta en el sitio público.
        self.ingresar(self.client_a, "olga")
        self.client_publico.cookies = self.client_a.cookies
        self.assertEqual(self.client_publico.get("/privacidad/").status_code, 302)
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, APELLIDOS)


class RutCorregidoTests(PrivacidadTestCase):
    def test_los_hechos_con_la_clave_del_rut_anterior_tambien_se_desvinculan(self):
        from privacidad.services import (
            persona_anonimizar,
            rectificacion_aceptar,
            rectificacion_solicitar,
        )
        from tests.cursos.factories import rut_valido

        with self.en_a():
            vieja = persona_clave(rut=RUT, schema_name="alfa", usuario_id=self.alice.pk)
            solicitud = rectificacion_solicitar(
                usuario=self.alice,
                campo="rut",
                valor=rut_valido(14_725_836),
                motivo="Se registró mal",
            )
            rectificacion_aceptar(solicitud=solicitud, actor=self.olga)
            connection.set_schema_to_public()
            antes = cifras(self.tenant_a.pk)
        with self.en_a():
            persona_anonimizar(
                usuario=self.alice, motivo="Supresión", actor=self.olga, sitio="tenant"
            )
        connection.set_schema_to_public()
        self.assertFalse(Hecho.objects.filter(persona=vieja).exists())
        self.assertEqual(cifras(self.tenant_a.pk), antes)


class PdfAnonimizadoTests(PrivacidadTestCase):
    def test_el_pdf_y_la_credencial_se_generan_sin_el_nombre(self):
        import io

        from pypdf import PdfReader

        self.ingresar(self.client_a, "olga")
        self.client_a.post(
            f"{PERSONAS}personas/{self.alice.pk}/anonimizar/", {"motivo": "Supresión"}
        )
        r = self.client_a.get(f"/certificados/{self.certificado.pk}/pdf/")
        self.assertEqual(r.status_code, 200)
        contenido = b"".join(r.streaming_content) if r.streaming else r.content
        texto = PdfReader(io.BytesIO(contenido)).pages[0].extract_text()
        self.assertIn("Persona anonimizada", texto)
        self.assertNotIn(APELLIDOS, texto)
        self.assertIn(self.certificado.codigo_formateado, texto)


class MitpTenantInvalidoTests(PrivacidadTestCase):
    def test_un_tenant_inexistente_o_el_publico_es_404(self):
        connection.set_schema_to_public()
        usuario_asegurar(username=MITP, password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.ingresar(self.client_publico, MITP)
        publico = Tenant.objects.get(schema_name="public")
        for tenant_id in (publico.pk, 999_999, "x"):
            r = self.client_publico.post(
                "/privacidad/anonimizar/",
                {"tenant": tenant_id, "usuario": self.alice.pk, "motivo": "x"},
            )
            self.assertEqual(r.status_code, 404, tenant_id)
        with self.en_a():
            self.alice.refresh_from_db()
            self.assertEqual(self.alice.last_name, APELLIDOS)
