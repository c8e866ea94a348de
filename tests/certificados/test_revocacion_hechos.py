"""Un certificado revocado retira su hecho nacional.

Desde las dos vías (la encargada en su sitio y la MITP en la verificación pública), en
la misma transacción que la revocación: la unidad, el tenant y el país dejan de contarlo
y la nómina dice «Revocado». Vencer no retira nada.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from io import BytesIO

import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from certificados import services
from certificados.models import Certificado
from certificados.signals import certificado_revocado
from cursos.models import Perfil
from indicadores.models import Hecho
from indicadores.selectors import Filtros, porcentaje_por_unidad, totales
from tests.base import CLAVE
from tests.certificados.base import CertificadosTestCase
from tests.cursos.factories import (
    InstitucionFactory,
    UnidadFactory,
    curso_completar,
    curso_por_clave,
)
from verificacion.models import RegistroCertificado

INICIO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
_TMP = tempfile.mkdtemp(prefix="capacita-revocacion-")


@override_settings(INDICADORES_EXPORTACIONES_DIR=_TMP)
class RevocacionRetiraElHechoTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            institucion = InstitucionFactory(nombre="Carabineros de Chile")
            self.unidad = UnidadFactory(institucion=institucion, nombre="Tenencia 1")
            Perfil.objects.filter(usuario=self.alice).update(unidad=self.unidad)
        with time_machine.travel(INICIO, tick=False):
            self.certificado = self.certificado_de_alice()

    def _hechos(self) -> int:
        return Hecho.objects.filter(tenant=self.tenant_a, tipo=Hecho.Tipo.CURSO).count()

    def _cifras(self) -> tuple[int, int, int]:
        """(unidad, tenant, país): personas capacitadas en 2026."""
        tenant = totales(Filtros(anio=2026, tenant_id=self.tenant_a.pk))
        pais = totales(Filtros(anio=2026))
        unidades = porcentaje_por_unidad(anio=2026, tenant_id=self.tenant_a.pk)
        unidad = sum(f["capacitados"] for f in unidades if f["unidad"] == "Tenencia 1")
        return unidad, tenant["capacitados"], pais["capacitados"]

    def _nomina_estado(self) -> str:
        r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        libro = load_workbook(BytesIO(b"".join(r.streaming_content)))
        filas = list(libro["Nómina"].iter_rows(values_only=True))
        return next(f[9] for f in filas if f[2] == "Alice")

    def test_la_encargada_revoca_y_el_hecho_sale_de_la_unidad_el_tenant_y_el_pais(
        self,
    ):
        self.assertEqual(self._hechos(), 1)
        self.assertEqual(self._cifras(), (1, 1, 1))
        self.ingresar(self.client_a, "olga")
        self.assertEqual(self._nomina_estado(), "Completado")
        r = self.client_a.post(
            f"/certificados/encargado/{self.certificado.pk}/revocar/",
            {"motivo": "Suplantación de identidad"},
        )
        self.assertEqual(r.status_code, 302)
        connection.set_schema_to_public()
        # Antes: el hecho quedaba y las tres cifras seguían en 1.
        self.assertEqual(self._hechos(), 0)
        self.assertEqual(self._cifras(), (0, 0, 0))
        self.assertEqual(self._nomina_estado(), "Revocado")
        tablero = self.client_a.get("/encargado/indicadores/", {"anio": 2026})
        self.assertEqual(tablero.context["total"]["capacitados"], 0)
        self.ingresar(self.client_a, "alice")
        self.assertContains(self.client_a.get("/mis-cursos/"), "Revocado")

    def test_la_mitp_revoca_desde_la_verificacion_publica_y_el_hecho_sale(self):
        from tenants.roles import Rol
        from tenants.services import usuario_asegurar

        connection.set_schema_to_public()
        usuario_asegurar(
            username="coordinacion", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        self.ingresar(self.client_publico, "coordinacion")
        r = self.client_publico.post(
            f"/verificar/{self.certificado.codigo}/revocar",
            {"motivo": "Resolución MITP"},
            follow=True,
        )
        self.assertContains(r, "El certificado quedó revocado.")
        connection.set_schema_to_public()
        self.assertEqual(self._hechos(), 0)
        self.assertEqual(self._cifras(), (0, 0, 0))
        self.assertEqual(
            RegistroCertificado.objects.get(codigo=self.certificado.codigo).estado,
            "revocado",
        )

    def test_solo_sale_el_hecho_de_esa_completitud(self):
        # Bob completa en beta: su hecho (otro tenant) sigue tras revocar el de Alice.
        with self.en_b():
            curso_b = curso_por_clave("que-es-la-trata")
            with time_machine.travel(INICIO, tick=False):
                self.completar(self.bob, curso_b)
        connection.set_schema_to_public()
        self.assertEqual(Hecho.objects.filter(tipo=Hecho.Tipo.CURSO).count(), 2)
        with self.en_a():
            services.certificado_revocar(
                certificado=self.certificado, motivo="Error", por="olga"
            )
        connection.set_schema_to_public()
        self.assertEqual(
            list(Hecho.objects.values_list("tenant__schema_name", flat=True)),
            ["beta"],
        )

    def test_si_retirar_falla_la_revocacion_tampoco_queda(self):
        def falla(sender, **kwargs):
            raise ValidationError("falla simulada")

        certificado_revocado.connect(falla, dispatch_uid="prueba_falla")
        try:
            with self.en_a(), self.assertRaises(ValidationError):
                services.certificado_revocar(
                    certificado=self.certificado, motivo="Error", por="olga"
                )
        finally:
            certificado_revocado.disconnect(dispatch_uid="prueba_falla")
        with self.en_a():
            self.certificado.refresh_from_db()
        self.assertEqual(self.certificado.estado, "vigente")
        connection.set_schema_to_public()
        registro = RegistroCertificado.objects.get(codigo=self.certificado.codigo)
        self.assertEqual(registro.estado, "vigente")
        self.assertEqual(self._hechos(), 1)

    def test_vencer_no_retira_el_hecho(self):
        with time_machine.travel(dt.datetime(2028, 6, 1, 12, tzinfo=dt.UTC)):
            with self.en_a():
                self.assertEqual(services.certificados_vencer(), 1)
                self.assertEqual(
                    Certificado.objects.get(pk=self.certificado.pk).estado_efectivo,
                    "vencido",
                )
            connection.set_schema_to_public()
            self.assertEqual(self._hechos(), 1)
            self.assertEqual(self._cifras(), (1, 1, 1))


class HechoEnSuTenantTests(CertificadosTestCase):
    def test_una_completitud_bajo_schema_context_queda_a_nombre_de_su_tenant(self):
        # Como en una tarea de Celery: solo se conoce el nombre del schema. Antes el
        # hecho quedaba a nombre del tenant public (la MITP).
        connection.set_schema_to_public()
        with schema_context("alfa"):
            curso_completar(self.alice, self.curso)
        connection.set_schema_to_public()
        self.assertEqual(
            list(Hecho.objects.values_list("tenant__schema_name", flat=True)),
            ["alfa"],
        )
