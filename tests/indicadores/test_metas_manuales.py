"""Metas sí/no e informes: la coordinación MITP las registra con evidencia privada."""

from __future__ import annotations

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from indicadores.models import MetaAnual
from indicadores.plan import plan_cargar
from indicadores.selectors import EstadoMeta, metas_avance
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

_TMP = tempfile.mkdtemp(prefix="capacita-evidencias-")
PDF = b"%PDF-1.4\n% guia\n"


@override_settings(INDICADORES_EVIDENCIAS_DIR=_TMP)
class MetasManualesTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        connection.set_schema_to_public()
        plan_cargar()
        usuario_asegurar(username="mitp", password=CLAVE, rol=Rol.COORDINADOR_MITP)
        self.meta = MetaAnual.objects.get(accion__codigo="E1-A1.6", unidad="si_no")

    def _estado(self) -> tuple[int, str]:
        connection.set_schema_to_public()
        a = [x for x in metas_avance() if x.meta.pk == self.meta.pk][0]
        return a.logrado, a.estado

    def test_las_metas_que_faltaban_estan_en_el_plan(self):
        codigos = set(
            MetaAnual.objects.filter(unidad__in=MetaAnual.MANUALES).values_list(
                "accion__codigo", flat=True
            )
        )
        self.assertEqual(
            codigos,
            {
                "E1-A1.6", "E1-A2.1", "E2-A1.1", "E2-A1.2", "E3-A1.3", "E3-A2.4",
                "E3-A2.5", "E4-A3.1",
            },
        )  # fmt: skip
        informes = MetaAnual.objects.filter(accion__codigo="E4-A3.1")
        self.assertEqual(informes.count(), 6)  # dos por semestre, 2024-2026
        self.assertTrue(all(m.valor == 2 for m in informes))

    def test_coordinacion_registra_si_con_el_pdf_y_lo_descarga(self):
        self.ingresar(self.client_publico, "mitp")
        url = f"/indicadores/metas/{self.meta.pk}/"
        r = self.client_publico.post(url, {"logrado": "1"})
        self.assertContains(r, "Adjunte la evidencia")
        self.assertEqual(self._estado()[0], 0)
        r = self.client_publico.post(
            url,
            {
                "logrado": "1",
                "evidencia": SimpleUploadedFile(
                    "guia.pdf", PDF, content_type="application/pdf"
                ),
            },
        )
        self.assertRedirects(r, "/indicadores/metas/", fetch_redirect_response=False)
        self.assertEqual(self._estado(), (1, EstadoMeta.CUMPLIDA))
        lista = self.client_publico.get("/indicadores/metas/")
        self.assertContains(lista, "guia.pdf")
        descarga = self.client_publico.get(f"{url}evidencia/")
        self.assertEqual(b"".join(descarga.streaming_content), PDF)
        self.assertIn("guia.pdf", descarga["Content-Disposition"])

    def test_un_archivo_que_no_es_pdf_se_rechaza(self):
        self.ingresar(self.client_publico, "mitp")
        r = self.client_publico.post(
            f"/indicadores/metas/{self.meta.pk}/",
            {
                "logrado": "1",
                "evidencia": SimpleUploadedFile("guia.pdf", b"<html>no</html>"),
            },
        )
        self.assertContains(r, "no corresponde a su extensión")
        self.assertEqual(self._estado()[0], 0)

    def test_sin_rol_de_coordinacion_no_entra_ni_descarga(self):
        usuario_asegurar(username="otro", password=CLAVE, rol=Rol.FUNCIONARIO)
        self.ingresar(self.client_publico, "otro")
        for url in (
            "/indicadores/metas/",
            f"/indicadores/metas/{self.meta.pk}/",
            f"/indicadores/metas/{self.meta.pk}/evidencia/",
        ):
            self.assertEqual(self.client_publico.get(url).status_code, 403)

    def test_una_meta_contable_no_se_registra_a_mano(self):
        self.ingresar(self.client_publico, "mitp")
        contable = MetaAnual.objects.get(
            accion__codigo="E3-A1.2", anio=2025, unidad="personas"
        )
        r = self.client_publico.get(f"/indicadores/metas/{contable.pk}/")
        self.assertEqual(r.status_code, 404)
