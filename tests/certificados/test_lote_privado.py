"""El ZIP de certificados de una unidad es un archivo privado (DESIGN.md §6).

Antes quedaba en ``MEDIA_ROOT/<schema>/certificados/lotes/`` como
``certificados-<unidad>-<id>.zip``: un nombre adivinable que se descargaba sin sesión
desde cualquier host. Ahora vive en
``ARCHIVOS_PRIVADOS_DIR/<schema>/`` con un nombre uuid4 y solo lo entrega la vista
de descarga, a la encargada de su tenant.
"""

from __future__ import annotations

import io
import re
import types
import zipfile
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client, override_settings

from certificados.models import LoteZip
from cursos.models import Perfil
from tenants.archivos import CSP_ARCHIVOS
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.certificados.base import CertificadosTestCase
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import PerfilFactory, UnidadFactory

NOMBRE_PRIVADO = re.compile(r"certificados/lotes/[0-9a-f]{32}\.zip")


class LotePrivadoTests(pq.MediaTemporalMixin, CertificadosTestCase):
    def setUp(self):
        super().setUp()
        self.privados = self.caja / "privados"
        ajuste = override_settings(ARCHIVOS_PRIVADOS_DIR=self.privados)
        ajuste.enable()
        self.addCleanup(ajuste.disable)
        with self.en_a():
            self.unidad = UnidadFactory(nombre="Brigada Norte")
            Perfil.objects.filter(usuario=self.alice).update(unidad=self.unidad)
            self.completar(self.alice)
            self.completar(PerfilFactory(unidad=self.unidad).usuario)
        self.ingresar(self.client_a, "olga")
        with self.captureOnCommitCallbacks(execute=True):
            self.client_a.post(
                "/certificados/encargado/lotes/", {"unidad": self.unidad.pk}
            )
        with self.en_a():
            self.lote = LoteZip.objects.get(unidad=self.unidad)
        self.url = f"/certificados/encargado/lotes/{self.lote.pk}/descargar/"
        self.nombre_viejo = f"certificados-brigada-norte-{self.lote.pk}.zip"

    def assert_sin_zip(self, response, esperado: int, quien: str) -> None:
        self.assertEqual(response.status_code, esperado, quien)
        cuerpo = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        self.assertFalse(cuerpo.startswith(b"PK"), quien)
        self.assertNotIn("X-Accel-Redirect", response, quien)

    def test_el_zip_queda_fuera_de_media_con_nombre_que_no_se_adivina(self):
        self.assertEqual(self.lote.estado, LoteZip.Estado.LISTO)
        self.assertRegex(self.lote.archivo.name, NOMBRE_PRIVADO)
        self.assertNotIn("brigada", self.lote.archivo.name)
        with self.en_a():
            ruta = Path(self.lote.archivo.path)
        self.assertTrue(ruta.is_file())
        self.assertTrue(ruta.is_relative_to(self.privados / "alfa"))
        self.assertEqual(list(self.media.rglob("*.zip")), [])

    def test_la_encargada_lo_descarga_con_un_nombre_legible(self):
        response = self.client_a.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="{self.nombre_viejo}"',
        )
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["Content-Security-Policy"], CSP_ARCHIVOS)
        contenido = b"".join(response.streaming_content)
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            self.assertEqual(len(zf.namelist()), 2)

    def test_sin_sesion_es_404(self):
        self.assert_sin_zip(Client(HTTP_HOST=DOMINIO_A).get(self.url), 404, "anónimo")

    def test_funcionaria_y_editor_reciben_403(self):
        for usuario in ("alice", "edu"):
            cliente = Client(HTTP_HOST=DOMINIO_A)
            self.ingresar(cliente, usuario)
            self.assert_sin_zip(cliente.get(self.url), 403, usuario)

    def test_otro_tenant_recibe_404(self):
        with self.en_b():
            usuario_asegurar(username="olgab", password=CLAVE, rol=Rol.ENCARGADO)
        self.ingresar(self.client_b, "olgab")
        self.assert_sin_zip(self.client_b.get(self.url), 404, "encargada de beta")
        # La cookie de sesión de alfa no vale en beta: allí es anónima.
        robada = Client(HTTP_HOST="beta.localhost")
        robada.cookies = self.client_a.cookies
        self.assert_sin_zip(robada.get(self.url), 404, "sesión de alfa en beta")

    def test_no_se_alcanza_por_media_en_ningun_host(self):
        rutas = [
            f"/media/alfa/{self.lote.archivo.name}",
            f"/media/alfa/certificados/lotes/{self.nombre_viejo}",
            f"/media/alfa/../../privados/alfa/{self.lote.archivo.name}",
        ]
        for cliente, quien in [
            (self.client_a, "encargada de alfa"),
            (Client(HTTP_HOST=DOMINIO_A), "anónimo en alfa"),
            (self.client_b, "beta"),
            (self.client_publico, "sitio público"),
        ]:
            for ruta in rutas:
                self.assert_sin_zip(cliente.get(ruta), 404, f"{quien}: {ruta}")

    @override_settings(ARCHIVOS_X_ACCEL=True)
    def test_detras_de_nginx_la_vista_revisa_y_nginx_entrega(self):
        response = self.client_a.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["X-Accel-Redirect"],
            f"/_interno/privados/alfa/{self.lote.archivo.name}",
        )
        self.assertEqual(response.content, b"")
        cliente = Client(HTTP_HOST=DOMINIO_A)
        self.ingresar(cliente, "alice")
        self.assert_sin_zip(cliente.get(self.url), 403, "funcionaria")


class LotesExistentesMigracionTests(pq.MediaTemporalMixin, CertificadosTestCase):
    """La migración saca de MEDIA_ROOT los ZIP que ya estaban publicados."""

    def setUp(self):
        super().setUp()
        self.privados = self.caja / "privados"
        ajuste = override_settings(ARCHIVOS_PRIVADOS_DIR=self.privados)
        ajuste.enable()
        self.addCleanup(ajuste.disable)

    def mover(self) -> None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        (migracion,) = [
            m
            for (app, nombre), m in loader.disk_migrations.items()
            if app == "certificados" and nombre.endswith("lotezip_archivo_privado")
        ]
        (operacion,) = [o for o in migracion.operations if isinstance(o, RunPython)]
        operacion.code(apps, types.SimpleNamespace(connection=connection))

    def test_mueve_los_zip_publicados_y_marca_los_perdidos(self):
        with self.en_a():
            unidad = UnidadFactory(nombre="Brigada Norte")
            viejo = LoteZip.objects.create(
                unidad=unidad, solicitado_por=self.olga, estado=LoteZip.Estado.LISTO
            )
            perdido = LoteZip.objects.create(
                unidad=unidad, solicitado_por=self.olga, estado=LoteZip.Estado.LISTO
            )
            publicado = f"certificados/lotes/certificados-brigada-norte-{viejo.pk}.zip"
            LoteZip.objects.filter(pk=viejo.pk).update(archivo=publicado)
            LoteZip.objects.filter(pk=perdido.pk).update(
                archivo="certificados/lotes/no-esta.zip"
            )
            origen = self.media / "alfa" / publicado
            origen.parent.mkdir(parents=True)
            origen.write_bytes(b"PK zip de prueba")
            self.mover()
            viejo.refresh_from_db()
            perdido.refresh_from_db()
        self.assertFalse(origen.exists())
        self.assertRegex(viejo.archivo.name, NOMBRE_PRIVADO)
        self.assertEqual(
            (self.privados / "alfa" / viejo.archivo.name).read_bytes(),
            b"PK zip de prueba",
        )
        self.assertEqual((perdido.archivo.name, perdido.estado), ("", "error"))
        self.ingresar(self.client_a, "olga")
        response = self.client_a.get(
            f"/certificados/encargado/lotes/{viejo.pk}/descargar/"
        )
        self.assertEqual(b"".join(response.streaming_content), b"PK zip de prueba")
