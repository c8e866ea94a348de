"""Validación de paquetes .h5p sin escribir nada (DESIGN.md §6).

Validador propio y pequeño (DESIGN.md §2 y §7: pyh5p 0.1.0 es alfa): límites de
tamaño, entradas y compresión; rutas, enlaces simbólicos y extensiones; SVG con
scripts; h5p.json, content.json y las bibliotecas de las que depende.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.zips import ERRORES_ZIP, MB, LimitesZip, zip_limites_revisar

# Extensiones que admite la especificación H5P (h5p-php-library, «whitelist» por
# defecto), menos .xml: un XML con <?xml-stylesheet?> apunta a una XSLT que el
# navegador ejecuta como documento (DESIGN.md §6). Ni .php, ni .html, ni .xsl.
EXTENSIONES_PERMITIDAS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 "
    "m4a wav txt pdf rtf doc docx xls xlsx ppt pptx odt ods odp csv diff patch "
    "swf md textile vtt webvtt js css".split()
)
# Documentos que el navegador interpreta como página (y que pueden ejecutar código);
# se rechazan con un mensaje propio, no con el genérico de extensión.
EXTENSIONES_DOCUMENTO = frozenset(
    "html htm xhtml shtml xht xml xsl xslt mht mhtml svgz".split()
)
_NOMBRE_BIBLIOTECA = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")
_SCRIPT = re.compile(r"<([a-z0-9_-]+:)?script", re.IGNORECASE)
_MANEJADOR = re.compile(r"[\s\"'/]on[a-z]+\s*=", re.IGNORECASE)
_BLANCOS = re.compile(r"[\x00-\x20]+")


def _limite(nombre: str, defecto: int) -> int:
    return int(getattr(settings, nombre, defecto))


def _max_bytes() -> int:
    return _limite("H5P_MAX_BYTES", 50 * MB)


def limites() -> LimitesZip:
    """Los límites de lib/zips para un paquete H5P (ajustables en settings)."""
    return LimitesZip(
        max_entradas=_limite("H5P_MAX_ENTRADAS", 2000),
        max_descomprimido=_limite("H5P_MAX_DESCOMPRIMIDO", 250 * MB),
        max_razon=_limite("H5P_MAX_RAZON", 100),
    )


def rechazo(mensaje: str, code: str) -> ValidationError:
    return ValidationError(mensaje, code=code)


def _invisibles(nombre: str) -> list[str]:
    """Caracteres de control (Cc) o de formato (Cf), como U+202E, en ``nombre``."""
    return [c for c in nombre if unicodedata.category(c) in ("Cc", "Cf")]


def _visible(nombre: str) -> str:
    """El nombre con cada carácter invisible escrito como U+XXXX (para el mensaje)."""
    return "".join(
        f"U+{ord(c):04X}" if unicodedata.category(c) in ("Cc", "Cf") else c
        for c in nombre
    )


def _revisar_nombre(nombre: str) -> None:
    """Rechaza rutas que podrían escribir fuera de la carpeta del paquete."""
    if invisibles := _invisibles(nombre):
        # Un U+202E (RLO) muestra «gpj.exe» como «exe.jpg»: el nombre engaña a quien
        # lo revisa. El mensaje no repite el carácter: lo escribe como U+XXXX.
        raise rechazo(
            _(
                "La entrada «%(n)s» tiene caracteres invisibles de control o de "
                "formato (%(c)s); renombre el archivo y vuelva a empacar el paquete."
            )
            % {
                "n": _visible(nombre),
                "c": ", ".join(sorted({f"U+{ord(c):04X}" for c in invisibles})),
            },
            "caracter_invisible",
        )
    if "\\" in nombre:
        raise rechazo(
            _("La entrada «%(n)s» usa barras invertidas (\\); no se admiten.")
            % {"n": nombre},
            "barra_invertida",
        )
    if nombre.startswith("/") or re.match(r"^[A-Za-z]:", nombre):
        raise rechazo(
            _("La entrada «%(n)s» tiene una ruta absoluta; no se admiten.")
            % {"n": nombre},
            "ruta_absoluta",
        )
    partes = nombre.rstrip("/").split("/")
    if ".." in partes:
        raise rechazo(
            _("La entrada «%(n)s» intenta salir de la carpeta del paquete («..»).")
            % {"n": nombre},
            "ruta_fuera",
        )
    if any(p in ("", ".") for p in partes) or re.search(r"[\x00-\x1f\x7f]", nombre):
        raise rechazo(
            _("La entrada «%(n)s» tiene un nombre inválido.") % {"n": nombre},
            "nombre_invalido",
        )


def _ignorada(nombre: str) -> bool:
    """Archivos ocultos y restos de macOS: H5P los ignora y no se desempacan."""
    return any(p.startswith(".") or p == "__MACOSX" for p in nombre.split("/"))


def _revisar_entradas(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Límites y rutas de cada entrada; devuelve los archivos a desempacar."""
    entradas = zf.infolist()
    zip_limites_revisar(entradas, limites())
    vistos: set[str] = set()
    archivos: list[zipfile.ZipInfo] = []
    for info in entradas:
        nombre = info.filename
        _revisar_nombre(nombre)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise rechazo(
                _("La entrada «%(n)s» es un enlace simbólico; no se admiten.")
                % {"n": nombre},
                "enlace_simbolico",
            )
        if info.flag_bits & 0x1:
            raise rechazo(
                _("La entrada «%(n)s» está cifrada; no se admite.") % {"n": nombre},
                "cifrado",
            )
        if nombre in vistos:
            raise rechazo(
                _("La entrada «%(n)s» está repetida en el paquete.") % {"n": nombre},
                "repetida",
            )
        vistos.add(nombre)
        if info.is_dir() or _ignorada(nombre):
            continue
        extension = PurePosixPath(nombre).suffix.lower().lstrip(".")
        if extension in EXTENSIONES_DOCUMENTO:
            raise rechazo(
                _(
                    "El archivo «%(n)s» es un documento HTML o XML: el navegador "
                    "podría ejecutarlo como página. Los paquetes H5P no los admiten."
                )
                % {"n": nombre},
                "documento",
            )
        if extension not in EXTENSIONES_PERMITIDAS:
            raise rechazo(
                _("El archivo «%(n)s» tiene una extensión no permitida en H5P.")
                % {"n": nombre},
                "extension",
            )
        archivos.append(info)
    return archivos


def _leer(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with zf.open(info) as origen:
            return origen.read()
    except ERRORES_ZIP:
        raise rechazo(
            _("El paquete está dañado: no se pudo leer «%(n)s».")
            % {"n": info.filename},
            "danado",
        ) from None


def _svg_peligroso(datos: bytes) -> bool:
    """Un SVG con scripts, manejadores on*= o URL javascript: ejecuta código."""
    for codificacion in ("utf-8", "utf-16-le", "utf-16-be"):
        texto = html.unescape(datos.decode(codificacion, errors="ignore"))
        compacto = _BLANCOS.sub("", texto).lower()
        if (
            _SCRIPT.search(compacto)
            or "javascript:" in compacto
            or _MANEJADOR.search(texto)
        ):
            return True
    return False


def _json(zf: zipfile.ZipFile, nombres: dict[str, zipfile.ZipInfo], ruta: str) -> dict:
    if ruta not in nombres:
        raise rechazo(_("Al paquete le falta «%(r)s».") % {"r": ruta}, "falta_" + ruta)
    try:
        datos = json.loads(_leer(zf, nombres[ruta]).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise rechazo(
            _("«%(r)s» no es un JSON válido.") % {"r": ruta}, "json_invalido"
        ) from None
    if not isinstance(datos, dict):
        raise rechazo(
            _("«%(r)s» debe ser un objeto JSON.") % {"r": ruta}, "json_invalido"
        )
    return datos


def _dependencia(dep: Any, origen: str) -> tuple[str, int, int]:
    try:
        nombre = dep["machineName"]
        version = (int(dep["majorVersion"]), int(dep["minorVersion"]))
    except (TypeError, KeyError, ValueError):
        nombre = None
    if not isinstance(nombre, str) or not _NOMBRE_BIBLIOTECA.match(nombre):
        raise rechazo(
            _("«%(o)s» declara una dependencia inválida.") % {"o": origen},
            "dependencia_invalida",
        )
    return nombre, *version


def _revisar_bibliotecas(
    zf: zipfile.ZipFile, nombres: dict[str, zipfile.ZipInfo], h5p_json: dict
) -> None:
    """Cada dependencia (y las de sus bibliotecas) debe venir en el paquete."""
    pendientes = [
        _dependencia(d, "h5p.json") for d in h5p_json["preloadedDependencies"]
    ]
    revisadas: set[tuple[str, int, int]] = set()
    while pendientes:
        dep = pendientes.pop()
        if dep in revisadas:
            continue
        revisadas.add(dep)
        nombre, mayor, menor = dep
        carpeta = f"{nombre}-{mayor}.{menor}"
        if f"{carpeta}/library.json" not in nombres:
            raise rechazo(
                _(
                    "Falta la biblioteca «%(b)s %(v)s»: el paquete debe traer la "
                    "carpeta «%(c)s» con su library.json."
                )
                % {"b": nombre, "v": f"{mayor}.{menor}", "c": carpeta},
                "falta_biblioteca",
            )
        libreria = _json(zf, nombres, f"{carpeta}/library.json")
        if _dependencia(libreria, f"{carpeta}/library.json") != dep:
            raise rechazo(
                _("«%(c)s/library.json» no corresponde a su carpeta.") % {"c": carpeta},
                "biblioteca_invalida",
            )
        for clave in ("preloadedJs", "preloadedCss"):
            for recurso in libreria.get(clave) or []:
                ruta = f"{carpeta}/{(recurso or {}).get('path', '')}"
                if ruta not in nombres:
                    raise rechazo(
                        _("A la biblioteca «%(c)s» le falta «%(r)s».")
                        % {"c": carpeta, "r": ruta},
                        "falta_recurso",
                    )
        pendientes.extend(
            _dependencia(d, f"{carpeta}/library.json")
            for d in libreria.get("preloadedDependencies") or []
        )


def zip_abrir(archivo) -> zipfile.ZipFile:
    tamano = getattr(archivo, "size", None)
    if tamano is None:
        tamano = archivo.seek(0, os.SEEK_END)
    if tamano > _max_bytes():
        raise rechazo(
            _("El paquete pesa %(n).1f MB; el máximo es %(max)s MB.")
            % {"n": tamano / MB, "max": _max_bytes() // MB},
            "tamano",
        )
    archivo.seek(0)
    try:
        return zipfile.ZipFile(archivo)
    except ERRORES_ZIP:
        raise rechazo(
            _("El archivo no es un paquete H5P: no es un ZIP válido."), "no_zip"
        ) from None


def paquete_validar(archivo) -> dict:
    """Valida un .h5p sin escribir nada. Lanza ValidationError con el motivo.

    Devuelve ``{"titulo", "biblioteca_principal", "h5p_json", "archivos",
    "bytes_descomprimidos"}``.
    """
    with zip_abrir(archivo) as zf:
        archivos = _revisar_entradas(zf)
        nombres = {info.filename: info for info in archivos}
        h5p_json = _json(zf, nombres, "h5p.json")
        _json(zf, nombres, "content/content.json")
        principal = h5p_json.get("mainLibrary")
        dependencias = h5p_json.get("preloadedDependencies")
        if not isinstance(principal, str) or not isinstance(dependencias, list):
            raise rechazo(
                _("h5p.json debe indicar mainLibrary y preloadedDependencies."),
                "h5p_json_incompleto",
            )
        versiones = [_dependencia(d, "h5p.json") for d in dependencias]
        version = next((v for v in versiones if v[0] == principal), None)
        if version is None:
            raise rechazo(
                _("La biblioteca principal «%(b)s» no está entre las dependencias.")
                % {"b": principal},
                "principal_sin_dependencia",
            )
        _revisar_bibliotecas(zf, nombres, h5p_json)
        for info in archivos:
            if info.filename.lower().endswith(".svg"):
                if _svg_peligroso(_leer(zf, info)):
                    raise rechazo(
                        _(
                            "«%(n)s» contiene scripts, manejadores de eventos o "
                            "enlaces javascript:; no se admite."
                        )
                        % {"n": info.filename},
                        "svg_script",
                    )
    archivo.seek(0)
    return {
        "titulo": str(h5p_json.get("title") or "")[:200],
        "biblioteca_principal": f"{principal} {version[1]}.{version[2]}",
        "h5p_json": h5p_json,
        "archivos": [info.filename for info in archivos],
        "bytes_descomprimidos": sum(info.file_size for info in archivos),
    }
