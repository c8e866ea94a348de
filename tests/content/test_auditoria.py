"""La bitácora del tenant se lee en Informes → Historial del sitio de Wagtail.

Exportaciones, revocaciones (de la encargada y de la MITP), cambios de roles e
importaciones quedan con su acción registrada y su etiqueta en español; la encargada
las ve y las filtra, la editora no.
"""

from __future__ import annotations

import html
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from content.models import RegistroAuditoria
from cursos.services.nomina import COLUMNAS
from tests.base import CLAVE
from tests.certificados.base import CertificadosTestCase
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_valido
from tests.cursos.importar import importar_por_pantalla

HISTORIAL = "/admin/reports/site-history/"
ETIQUETAS = {
    "capacita.exportacion": "Exportación",
    "capacita.revocacion": "Revocación de certificado",
    "capacita.roles": "Cambio de roles",
    "capacita.importacion": "Importación de planilla",
}


def _nomina(filas: list[list]) -> SimpleUploadedFile:
    libro = Workbook()
    for fila in [COLUMNAS, *filas]:
        libro.active.append(fila)
    contenido = BytesIO()
    libro.save(contenido)
    return SimpleUploadedFile("nomina.xlsx", contenido.getvalue())


class HistorialDelSitioTests(CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.certificado = self.certificado_de_alice()
        with self.en_a():
            institucion = InstitucionFactory(nombre="Carabineros", sigla="CAR")
            UnidadFactory(institucion=institucion, nombre="Tenencia Norte")

    def _historial(self, **filtros) -> str:
        r = self.client_a.get(HISTORIAL, filtros)
        self.assertEqual(r.status_code, 200)
        return html.unescape(r.content.decode())

    def _las_cuatro_acciones(self) -> None:
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post("/encargado/indicadores/exportar/nomina/")
        self.assertEqual(r.status_code, 200)
        b"".join(r.streaming_content)
        r = self.client_a.post(
            f"/certificados/encargado/{self.certificado.pk}/revocar/",
            {"motivo": "Suplantación de identidad"},
        )
        self.assertEqual(r.status_code, 302)
        r = self.client_a.post(
            f"/encargado/roles/{self.edu.pk}/", {"roles": ["editor", "funcionario"]}
        )
        self.assertEqual(r.status_code, 302)
        planilla = _nomina(
            [
                [
                    rut_valido(16_000_002),
                    "Eva",
                    "Erazo",
                    "",
                    "F",
                    "CAR",
                    "Tenencia Norte",
                    "Cabo",
                ]
            ]
        )
        pagina, _destino = importar_por_pantalla(
            self, self.client_a, "/encargado/nomina/importar/", planilla, en=self.en_a
        )
        self.assertContains(pagina, "1 creadas")

    def test_las_cuatro_acciones_aparecen_con_su_etiqueta_en_el_historial(self):
        self._las_cuatro_acciones()
        pagina = self._historial()
        for accion, etiqueta in ETIQUETAS.items():
            with self.subTest(accion=accion):
                # La etiqueta: una opción del filtro «Acción» y la línea de la entrada.
                self.assertIn(f'value="{accion}"', pagina)
                self.assertIn(etiqueta, pagina)
        self.assertIn("Revocó un certificado", pagina)
        self.assertIn(f"Certificado {self.certificado.codigo_formateado}", pagina)
        self.assertIn("Cambió los roles", pagina)
        self.assertIn(
            "Importó una planilla (nómina, asistencia o banco de preguntas)", pagina
        )
        self.assertIn("Exportó datos", pagina)
        self.assertIn("Nómina (1 filas aplicadas)", pagina)
        self.assertIn("Exportación «nomina»", pagina)
        # Sin RUT en la bitácora.
        with self.en_a():
            textos = str(list(RegistroAuditoria.objects.values("label", "data")))
        self.assertNotIn(rut_valido(16_000_002), textos)

    def test_el_filtro_por_accion_deja_solo_esa_accion(self):
        self._las_cuatro_acciones()
        pagina = self._historial(action="capacita.revocacion")
        self.assertIn("Revocó un certificado", pagina)
        self.assertNotIn(
            "Importó una planilla (nómina, asistencia o banco de preguntas)", pagina
        )
        self.assertNotIn("Cambió los roles", pagina)

    def test_la_revocacion_de_la_mitp_queda_en_la_bitacora_del_tenant(self):
        from tenants.roles import Rol
        from tenants.services import usuario_asegurar

        connection.set_schema_to_public()
        usuario_asegurar(
            username="coordinacion",
            password=CLAVE,
            rol=Rol.COORDINADOR_MITP,
            first_name="Coordinación",
            last_name="MITP",
        )
        self.ingresar(self.client_publico, "coordinacion")
        r = self.client_publico.post(
            f"/verificar/{self.certificado.codigo}/revocar",
            {"motivo": "Resolución MITP"},
            follow=True,
        )
        self.assertContains(r, "El certificado quedó revocado.")
        with self.en_a():
            registro = RegistroAuditoria.objects.get(action="capacita.revocacion")
        # La cuenta de la MITP es del schema public: va su nombre, no un usuario.
        self.assertIsNone(registro.user_id)
        self.assertEqual(registro.data["sitio"], "mitp")
        self.assertEqual(registro.data["por"], "Coordinación MITP")
        self.ingresar(self.client_a, "olga")
        pagina = self._historial()
        self.assertIn("Revocó un certificado", pagina)
        self.assertIn(f"Certificado {self.certificado.codigo_formateado}", pagina)

    def test_la_editora_no_ve_la_bitacora(self):
        self._las_cuatro_acciones()
        self.ingresar(self.client_a, "edu")
        pagina = self._historial()
        self.assertNotIn("Revocó un certificado", pagina)
        self.assertNotIn(
            "Importó una planilla (nómina, asistencia o banco de preguntas)", pagina
        )
