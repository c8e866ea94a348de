"""Paquetes .h5p de prueba, armados en memoria al correr (no se versionan zips).

Incluye los maliciosos que el validador debe rechazar y una media temporal por
prueba, para afirmar que un rechazo no escribe nada ni dentro ni fuera de ella.
"""

from __future__ import annotations

import io
import json
import stat
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

DEMO = Path(settings.BASE_DIR) / "demo" / "h5p" / "caso-verdadero-falso.h5p"
BIBLIOTECA = "H5P.Prueba-1.0"


def zip_bytes(
    entradas: dict[str, bytes | str],
    *,
    enlaces: tuple[str, ...] = (),
    compresion: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Arma un zip con nombres tal cual (sin normalizar: así se cuelan ../ y /)."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=compresion) as zf:
        for nombre, datos in entradas.items():
            info = zipfile.ZipInfo(nombre, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compresion
            info.create_system = 3
            modo = stat.S_IFLNK | 0o777 if nombre in enlaces else stat.S_IFREG | 0o644
            info.external_attr = modo << 16
            zf.writestr(info, datos)
    return salida.getvalue()


def entradas_validas() -> dict[str, bytes | str]:
    """Paquete mínimo válido con una biblioteca propia."""
    return {
        "h5p.json": json.dumps(
            {
                "title": "Paquete de prueba",
                "mainLibrary": "H5P.Prueba",
                "language": "es",
                "embedTypes": ["iframe"],
                "preloadedDependencies": [
                    {"machineName": "H5P.Prueba", "majorVersion": 1, "minorVersion": 0}
                ],
            }
        ),
        "content/content.json": json.dumps({"texto": "hola"}),
        f"{BIBLIOTECA}/library.json": json.dumps(
            {
                "machineName": "H5P.Prueba",
                "majorVersion": 1,
                "minorVersion": 0,
                "patchVersion": 0,
                "runnable": 1,
                "preloadedJs": [{"path": "prueba.js"}],
            }
        ),
        f"{BIBLIOTECA}/prueba.js": "var H5P = H5P || {};",
    }


def paquete(**cambios: bytes | str | None) -> bytes:
    """Paquete válido con entradas agregadas o quitadas (valor None)."""
    entradas = entradas_validas()
    for nombre, datos in cambios.items():
        if datos is None:
            entradas.pop(nombre, None)
        else:
            entradas[nombre] = datos
    return zip_bytes(entradas)


def como_archivo(datos: bytes, nombre: str = "paquete.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, datos, content_type="application/zip")


def demo_archivo() -> SimpleUploadedFile:
    return como_archivo(DEMO.read_bytes(), DEMO.name)


# --- Los maliciosos ----------------------------------------------------------------


def bomba() -> bytes:
    """40 MB de ceros que se comprimen a ~40 KB (razón ≈ 1000)."""
    entradas = entradas_validas()
    entradas["content/relleno.txt"] = b"\0" * (40 * 1024 * 1024)
    return zip_bytes(entradas)


def zip_slip() -> bytes:
    entradas = entradas_validas()
    entradas["../../evil.js"] = "alert('pwn')"
    return zip_bytes(entradas)


def enlace_simbolico() -> bytes:
    entradas = entradas_validas()
    entradas["content/passwd.json"] = "/etc/passwd"
    return zip_bytes(entradas, enlaces=("content/passwd.json",))


def ruta_absoluta(destino: str) -> bytes:
    entradas = entradas_validas()
    entradas[destino] = "alert('pwn')"
    return zip_bytes(entradas)


def barra_invertida() -> bytes:
    entradas = entradas_validas()
    entradas["..\\..\\evil.js"] = "alert('pwn')"
    return zip_bytes(entradas)


def no_zip() -> bytes:
    return b"<?php echo 'esto no es un zip'; ?>\n" * 20


def sin_h5p_json() -> bytes:
    return paquete(**{"h5p.json": None})


def sin_content_json() -> bytes:
    return paquete(**{"content/content.json": None})


def con_php() -> bytes:
    return paquete(**{"content/shell.php": "<?php system($_GET['c']); ?>"})


def svg_con_script() -> bytes:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
        "</script></svg>"
    )
    return paquete(**{"content/images/logo.svg": svg})


def svg_con_manejador() -> bytes:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>'
    return paquete(**{"content/images/logo.svg": svg})


def svg_con_javascript_codificado() -> bytes:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="jav&#x61;'
        'script:alert(1)"><text>x</text></a></svg>'
    )
    return paquete(**{"content/images/logo.svg": svg})


def sin_biblioteca() -> bytes:
    return paquete(
        **{f"{BIBLIOTECA}/library.json": None, f"{BIBLIOTECA}/prueba.js": None}
    )


def svg_inofensivo() -> bytes:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="red"/></svg>'
    return paquete(**{"content/images/punto.svg": svg})


# --- Media temporal ----------------------------------------------------------------


class MediaTemporalMixin:
    """MEDIA_ROOT propio por prueba, dentro de una carpeta «caja».

    ``self.caja`` contiene ``media/``: lo que un ataque escribiera «fuera» de la media
    (../../evil.js) caería en la caja y se vería.
    """

    def setUp(self):
        super().setUp()
        temporal = tempfile.TemporaryDirectory(prefix="capacita-h5p-")
        self.addCleanup(temporal.cleanup)
        self.caja = Path(temporal.name)
        self.media = self.caja / "media"
        self.media.mkdir()
        # Reemplazar STORAGES descarta el storage en caché (relative_media_root).
        ajuste = override_settings(
            MEDIA_ROOT=self.media, STORAGES={**settings.STORAGES}
        )
        ajuste.enable()
        self.addCleanup(ajuste.disable)

    def archivos_escritos(self) -> list[str]:
        """Todo lo que hay en la caja (archivos y carpetas), salvo media/ vacía."""
        return sorted(
            str(p.relative_to(self.caja))
            for p in self.caja.rglob("*")
            if p != self.media
        )


def bloque_h5p(paquete_h5p, *, umbral: str = "0.70", obligatoria: bool = True):
    return (
        "h5p",
        {
            "paquete": paquete_h5p,
            "umbral": Decimal(umbral),
            "obligatoria": obligatoria,
        },
    )


# --- Paquete hostil (pruebas de navegador) -------------------------------------------

# Lo que haría un editor malicioso: leer cookies y la página de la lección, pedir con
# la sesión del aprendiz una página que exige ingreso, llevarse la pestaña y mandarle
# a la lección mensajes falsos. Anota qué logró en <pre id="informe"> (JSON); lo leído
# se marca «LEIDO:», lo impedido «bloqueado: …».
JS_HOSTIL = r"""
var H5P = H5P || {};
H5P.Hostil = (function () {
  function Hostil(params) { this.params = params || {}; }
  Hostil.prototype.attach = function ($contenedor) {
    var raiz = $contenedor.get ? $contenedor.get(0) : $contenedor;
    var informe = {};
    function intentar(nombre, accion) {
      try { informe[nombre] = "LEIDO:" + String(accion()).slice(0, 300); }
      catch (e) { informe[nombre] = "bloqueado: " + e.name; }
    }
    intentar("cookie", function () { return document.cookie; });
    intentar("cookie_padre", function () { return window.parent.document.cookie; });
    intentar("dom_padre", function () {
      return window.parent.document.body.innerHTML;
    });
    intentar("csrf_padre", function () {
      return window.parent.document.querySelector("[data-csrf]").dataset.csrf;
    });
    intentar("titulo_top", function () { return window.top.document.title; });
    intentar("navegar_top", function () {
      window.top.location.href = "/salir/"; return "?";
    });
    intentar("abrir_top", function () { return window.open("/salir/", "_top"); });
    intentar("enlace_top", function () {
      var a = document.createElement("a");
      a.href = "/mis-cursos/?robado=1"; a.target = "_top";
      document.body.appendChild(a); a.click(); return "?";
    });
    // Mensajes falsos a la lección: otra actividad y una declaración sin verbo.
    var id = document.body.dataset.h5pId;
    var iri = document.body.dataset.actividadIri;
    var falsa = {
      verb: { id: "http://adlnet.gov/expapi/verbs/passed" },
      object: { id: "http://otra.actividad/#h5p-1" },
      result: { score: { scaled: 1, raw: 1, max: 1, min: 0 }, success: true }
    };
    window.parent.postMessage({
      capacita: "h5p", tipo: "xapi", actividad: "http://otra.actividad/#h5p-1",
      id: id, declaracion: falsa
    }, "*");
    window.parent.postMessage({
      capacita: "h5p", tipo: "xapi", actividad: iri, id: id,
      declaracion: { object: { id: iri } }
    }, "*");

    var pagina = location.origin + "/mis-cursos/";
    function leer(promesa) {
      return promesa.then(function (r) { return r.text(); }).then(
        function (t) { return t ? "LEIDO:" + t.slice(0, 300) : "opaco"; },
        function (e) { return "bloqueado: " + e.name; }
      );
    }
    var xhr = new Promise(function (resolver) {
      try {
        var x = new XMLHttpRequest();
        x.open("GET", pagina);
        x.withCredentials = true;
        x.onload = function () { resolver("LEIDO:" + x.responseText.slice(0, 300)); };
        x.onerror = function () { resolver("bloqueado: xhr"); };
        x.send();
      } catch (e) { resolver("bloqueado: " + e.name); }
    });
    Promise.all([
      leer(fetch(pagina, { credentials: "include" })),
      leer(fetch(pagina, { credentials: "include", mode: "no-cors" })),
      xhr,
      // Control: el paquete sí puede leer sus propios archivos.
      leer(fetch(document.body.dataset.h5pJson + "h5p.json")),
    ]).then(function (r) {
      informe.fetch_con_sesion = r[0];
      informe.fetch_no_cors = r[1];
      informe.xhr_con_sesion = r[2];
      informe.control_propio = r[3];
      var pre = document.createElement("pre");
      pre.id = "informe";
      pre.textContent = JSON.stringify(informe);
      pre.setAttribute("data-listo", "1");
      raiz.appendChild(pre);
    });
  };
  return Hostil;
})();
"""


def hostil() -> bytes:
    """Paquete válido (pasa el validador) cuyo código intenta actuar como quien
    abre la lección."""
    return zip_bytes(
        {
            "h5p.json": json.dumps(
                {
                    "title": "Actividad hostil",
                    "mainLibrary": "H5P.Hostil",
                    "language": "es",
                    "embedTypes": ["div", "iframe"],
                    "preloadedDependencies": [
                        {
                            "machineName": "H5P.Hostil",
                            "majorVersion": 1,
                            "minorVersion": 0,
                        }
                    ],
                }
            ),
            "content/content.json": json.dumps({"texto": "hola"}),
            "H5P.Hostil-1.0/library.json": json.dumps(
                {
                    "machineName": "H5P.Hostil",
                    "majorVersion": 1,
                    "minorVersion": 0,
                    "patchVersion": 0,
                    "runnable": 1,
                    "preloadedJs": [{"path": "hostil.js"}],
                }
            ),
            "H5P.Hostil-1.0/hostil.js": JS_HOSTIL,
        }
    )
