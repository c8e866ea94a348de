"""Validación y desempaque de paquetes H5P (DESIGN.md §6: límites, rutas, enlaces)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from content.h5p import paquete_crear, paquete_desempacar, paquete_validar
from content.models import PaqueteH5P
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

from . import h5p_paquetes as pq

ADMIN_NUEVO = "/admin/snippets/content/paqueteh5p/add/"


class PaqueteRechazoTests(pq.MediaTemporalMixin, CapacitaTestCase):
    """Cada paquete malicioso se rechaza con su motivo y sin escribir nada."""

    def assert_rechaza(self, datos: bytes, fragmento: str, codigo: str) -> None:
        with self.en_a():
            with self.assertRaises(ValidationError) as ctx:
                paquete_crear(titulo="Malicioso", archivo=pq.como_archivo(datos))
            self.assertFalse(PaqueteH5P.objects.exists())
        self.assertEqual(ctx.exception.code, codigo)
        self.assertIn(fragmento, " ".join(ctx.exception.messages))
        self.assertEqual(self.archivos_escritos(), [])

    def test_rechaza_bomba_de_compresion(self):
        self.assert_rechaza(pq.bomba(), "bomba de compresión", "bomba")

    @override_settings(H5P_MAX_DESCOMPRIMIDO=1024)
    def test_rechaza_paquete_que_descomprimido_supera_el_total(self):
        datos = pq.paquete(**{"content/grande.txt": "x" * 2048})
        self.assert_rechaza(datos, "descomprimido supera", "bomba")

    def test_rechaza_zip_slip(self):
        self.assert_rechaza(pq.zip_slip(), "intenta salir de la carpeta", "ruta_fuera")
        self.assertFalse((self.caja.parent / "evil.js").exists())

    def test_rechaza_enlace_simbolico(self):
        self.assert_rechaza(
            pq.enlace_simbolico(), "es un enlace simbólico", "enlace_simbolico"
        )

    def test_rechaza_ruta_absoluta(self):
        destino = str(self.caja / "absoluto.js")
        self.assert_rechaza(pq.ruta_absoluta(destino), "ruta absoluta", "ruta_absoluta")

    def test_rechaza_barras_invertidas(self):
        self.assert_rechaza(
            pq.barra_invertida(), "barras invertidas", "barra_invertida"
        )

    def test_rechaza_archivo_que_no_es_zip(self):
        self.assert_rechaza(pq.no_zip(), "no es un ZIP válido", "no_zip")

    def test_rechaza_paquete_sin_h5p_json(self):
        self.assert_rechaza(pq.sin_h5p_json(), "le falta «h5p.json»", "falta_h5p.json")

    def test_rechaza_paquete_sin_content_json(self):
        self.assert_rechaza(
            pq.sin_content_json(),
            "le falta «content/content.json»",
            "falta_content/content.json",
        )

    def test_rechaza_h5p_json_que_no_es_json(self):
        datos = pq.paquete(**{"h5p.json": "{no es json"})
        self.assert_rechaza(datos, "«h5p.json» no es un JSON válido", "json_invalido")

    def test_rechaza_archivo_php(self):
        self.assert_rechaza(pq.con_php(), "extensión no permitida", "extension")

    def test_rechaza_svg_con_script(self):
        self.assert_rechaza(pq.svg_con_script(), "contiene scripts", "svg_script")

    def test_rechaza_svg_con_manejador_de_eventos(self):
        self.assert_rechaza(pq.svg_con_manejador(), "contiene scripts", "svg_script")

    def test_rechaza_svg_con_javascript_codificado_en_entidades(self):
        self.assert_rechaza(
            pq.svg_con_javascript_codificado(), "contiene scripts", "svg_script"
        )

    def test_rechaza_dependencia_sin_carpeta_de_biblioteca(self):
        self.assert_rechaza(
            pq.sin_biblioteca(),
            "Falta la biblioteca «H5P.Prueba 1.0»",
            "falta_biblioteca",
        )

    def test_rechaza_biblioteca_sin_su_javascript(self):
        datos = pq.paquete(**{f"{pq.BIBLIOTECA}/prueba.js": None})
        self.assert_rechaza(
            datos, "le falta «H5P.Prueba-1.0/prueba.js»", "falta_recurso"
        )

    @override_settings(H5P_MAX_BYTES=1024)
    def test_rechaza_paquete_demasiado_pesado(self):
        self.assert_rechaza(pq.DEMO.read_bytes(), "el máximo es 0 MB", "tamano")

    @override_settings(H5P_MAX_ENTRADAS=3)
    def test_rechaza_paquete_con_demasiadas_entradas(self):
        self.assert_rechaza(pq.paquete(), "el máximo es 3", "demasiadas_entradas")


class PaqueteDesempaqueTests(pq.MediaTemporalMixin, CapacitaTestCase):
    def test_el_demo_valida_y_describe_su_biblioteca(self):
        info = paquete_validar(pq.demo_archivo())
        self.assertEqual(info["biblioteca_principal"], "H5P.CapacitaVerdaderoFalso 1.0")
        self.assertEqual(info["titulo"], "Caso: consentimiento y trata")
        self.assertIn("content/content.json", info["archivos"])

    def test_el_demo_se_desempaca_en_la_media_del_tenant(self):
        with self.en_a():
            paquete = paquete_crear(titulo="", archivo=pq.demo_archivo())
        carpeta = self.media / "alfa" / paquete.carpeta
        self.assertTrue((carpeta / "h5p.json").is_file())
        self.assertTrue(
            (carpeta / "H5P.CapacitaVerdaderoFalso-1.0" / "library.json").is_file()
        )
        self.assertTrue((self.media / "alfa" / paquete.archivo.name).is_file())
        self.assertRegex(paquete.carpeta, r"^h5p/[0-9a-f]{32}$")
        self.assertEqual(paquete.titulo, "Caso: consentimiento y trata")
        self.assertEqual(paquete.h5p_json["mainLibrary"], "H5P.CapacitaVerdaderoFalso")
        # Sin restos de la carpeta temporal, y legible por el servidor web.
        self.assertEqual(
            sorted(p.name for p in (self.media / "alfa" / "h5p").iterdir()),
            sorted(["archivos", carpeta.name]),
        )
        self.assertEqual(carpeta.stat().st_mode & 0o777, 0o755)

    def test_el_paquete_de_alfa_no_existe_en_beta(self):
        with self.en_a():
            paquete = paquete_crear(titulo="Solo alfa", archivo=pq.demo_archivo())
        with self.en_b():
            self.assertFalse(PaqueteH5P.objects.filter(pk=paquete.pk).exists())
            self.assertFalse(PaqueteH5P.objects.filter(titulo="Solo alfa").exists())
        self.assertFalse((self.media / "beta").exists())

    def test_svg_inofensivo_se_acepta(self):
        with self.en_a():
            info = paquete_desempacar(pq.como_archivo(pq.svg_inofensivo()))
        self.assertTrue((self.media / "alfa" / info["carpeta"] / "content").is_dir())

    def test_archivos_ocultos_y_de_macos_no_se_desempacan(self):
        datos = pq.paquete(
            **{".DS_Store": b"\0\0", "__MACOSX/._h5p.json": b"\0", "content/.x": "x"}
        )
        with self.en_a():
            info = paquete_desempacar(pq.como_archivo(datos))
        carpeta = self.media / "alfa" / info["carpeta"]
        self.assertFalse((carpeta / ".DS_Store").exists())
        self.assertFalse((carpeta / "__MACOSX").exists())

    def test_la_construccion_del_demo_es_reproducible(self):
        construir = Path(settings.BASE_DIR) / "h5p_fuente" / "construir.py"
        resultado = subprocess.run(
            [sys.executable, str(construir), "--verificar"],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(resultado.returncode, 0, resultado.stderr)


class PaqueteAdminTests(pq.MediaTemporalMixin, CapacitaTestCase):
    def test_editor_sube_el_demo_desde_el_admin(self):
        self.ingresar(self.client_a, "edu")
        self.assertEqual(self.client_a.get(ADMIN_NUEVO).status_code, 200)
        respuesta = self.client_a.post(
            ADMIN_NUEVO, {"titulo": "Caso demo", "archivo": pq.demo_archivo()}
        )
        self.assertEqual(respuesta.status_code, 302, respuesta.content[:2000])
        with self.en_a():
            paquete = PaqueteH5P.objects.get(titulo="Caso demo")
        self.assertEqual(paquete.biblioteca_principal, "H5P.CapacitaVerdaderoFalso 1.0")
        self.assertTrue((self.media / "alfa" / paquete.carpeta / "h5p.json").is_file())

    def test_el_admin_muestra_el_error_y_no_guarda_nada(self):
        self.ingresar(self.client_a, "edu")
        respuesta = self.client_a.post(
            ADMIN_NUEVO,
            {"titulo": "Malicioso", "archivo": pq.como_archivo(pq.zip_slip())},
        )
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, "intenta salir de la carpeta del paquete")
        with self.en_a():
            self.assertFalse(PaqueteH5P.objects.exists())
        self.assertEqual(self.archivos_escritos(), [])

    def test_el_admin_rechaza_otra_extension(self):
        self.ingresar(self.client_a, "edu")
        respuesta = self.client_a.post(
            ADMIN_NUEVO,
            {"titulo": "Zip", "archivo": pq.como_archivo(pq.paquete(), "x.zip")},
        )
        self.assertEqual(respuesta.status_code, 200)
        with self.en_a():
            self.assertFalse(PaqueteH5P.objects.exists())

    def test_el_editor_reemplaza_el_archivo_y_se_borra_la_carpeta_anterior(self):
        with self.en_a():
            paquete = paquete_crear(titulo="Original", archivo=pq.demo_archivo())
        anterior = self.media / "alfa" / paquete.carpeta
        self.ingresar(self.client_a, "edu")
        url = f"/admin/snippets/content/paqueteh5p/edit/{paquete.pk}/"
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client_a.post(
                url, {"titulo": "Nuevo", "archivo": pq.como_archivo(pq.paquete())}
            )
        self.assertEqual(respuesta.status_code, 302, respuesta.content[:2000])
        with self.en_a():
            paquete.refresh_from_db()
        self.assertEqual(paquete.biblioteca_principal, "H5P.Prueba 1.0")
        self.assertTrue((self.media / "alfa" / paquete.carpeta).is_dir())
        self.assertFalse(anterior.exists())

    def test_el_editor_elimina_el_paquete_y_sus_archivos(self):
        with self.en_a():
            paquete = paquete_crear(titulo="Borrable", archivo=pq.demo_archivo())
        carpeta = self.media / "alfa" / paquete.carpeta
        archivo = self.media / "alfa" / paquete.archivo.name
        self.ingresar(self.client_a, "edu")
        url = f"/admin/snippets/content/paqueteh5p/delete/{paquete.pk}/"
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client_a.post(url)
        self.assertEqual(respuesta.status_code, 302, respuesta.content[:2000])
        with self.en_a():
            self.assertFalse(PaqueteH5P.objects.filter(pk=paquete.pk).exists())
        self.assertFalse(carpeta.exists())
        self.assertFalse(archivo.exists())

    def test_funcionaria_no_entra_al_admin_de_paquetes(self):
        self.ingresar(self.client_a, "alice")
        respuesta = self.client_a.get(ADMIN_NUEVO)
        self.assertIn(respuesta.status_code, (302, 403))

    def test_el_paquete_de_alfa_no_se_ve_en_el_admin_de_beta(self):
        with self.en_a():
            paquete = paquete_crear(titulo="Solo alfa", archivo=pq.demo_archivo())
        with self.en_b():
            usuario_asegurar(username="eva", password=CLAVE, rol=Rol.EDITOR)
        self.ingresar(self.client_b, "eva")
        listado = self.client_b.get("/admin/snippets/content/paqueteh5p/")
        self.assertEqual(listado.status_code, 200)
        self.assertNotContains(listado, "Solo alfa")
        edicion = self.client_b.get(
            f"/admin/snippets/content/paqueteh5p/edit/{paquete.pk}/"
        )
        self.assertEqual(edicion.status_code, 404)
