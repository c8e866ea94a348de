"""Construye los paquetes .h5p de demostración a partir de sus fuentes.

Cada carpeta de ``contenidos/`` (h5p.json + content/) se empaca junto con las
bibliotecas de ``bibliotecas/`` que declara en preloadedDependencies (y las de
ellas). El resultado es reproducible byte a byte: entradas ordenadas, fecha fija,
permisos fijos y sin compresión (así no depende de la versión de zlib).

Uso:
    python h5p_fuente/construir.py              # escribe demo/h5p/*.h5p
    python h5p_fuente/construir.py --verificar  # falla si lo versionado difiere
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

FUENTE = Path(__file__).resolve().parent
BIBLIOTECAS = FUENTE / "bibliotecas"
CONTENIDOS = FUENTE / "contenidos"
DESTINO = FUENTE.parent / "demo" / "h5p"
FECHA_FIJA = (1980, 1, 1, 0, 0, 0)


def _carpeta(dep: dict) -> str:
    return f"{dep['machineName']}-{dep['majorVersion']}.{dep['minorVersion']}"


def bibliotecas_necesarias(h5p_json: dict) -> list[str]:
    """Carpetas de biblioteca que el contenido necesita, con sus dependencias."""
    pendientes = [_carpeta(d) for d in h5p_json["preloadedDependencies"]]
    vistas: list[str] = []
    while pendientes:
        carpeta = pendientes.pop()
        if carpeta in vistas:
            continue
        library_json = BIBLIOTECAS / carpeta / "library.json"
        if not library_json.is_file():
            raise SystemExit(f"Falta la biblioteca {carpeta} en {BIBLIOTECAS}")
        vistas.append(carpeta)
        libreria = json.loads(library_json.read_text(encoding="utf-8"))
        pendientes.extend(
            _carpeta(d) for d in libreria.get("preloadedDependencies") or []
        )
    return sorted(vistas)


def _entradas(contenido: Path) -> list[tuple[str, Path]]:
    h5p_json = json.loads((contenido / "h5p.json").read_text(encoding="utf-8"))
    entradas = [
        (ruta.relative_to(contenido).as_posix(), ruta)
        for ruta in contenido.rglob("*")
        if ruta.is_file()
    ]
    for carpeta in bibliotecas_necesarias(h5p_json):
        base = BIBLIOTECAS / carpeta
        entradas += [
            (f"{carpeta}/{ruta.relative_to(base).as_posix()}", ruta)
            for ruta in base.rglob("*")
            if ruta.is_file()
        ]
    return sorted(entradas)


def empacar(contenido: Path) -> bytes:
    """Bytes del .h5p de una carpeta de contenidos/."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_STORED) as zf:
        for nombre, ruta in _entradas(contenido):
            info = zipfile.ZipInfo(nombre, date_time=FECHA_FIJA)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            zf.writestr(info, ruta.read_bytes())
    return salida.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--verificar",
        action="store_true",
        help="no escribe; falla si algún .h5p versionado no coincide con su fuente",
    )
    args = parser.parse_args(argv)
    DESTINO.mkdir(parents=True, exist_ok=True)
    distintos = []
    for contenido in sorted(p for p in CONTENIDOS.iterdir() if p.is_dir()):
        datos = empacar(contenido)
        destino = DESTINO / f"{contenido.name}.h5p"
        if args.verificar:
            if not destino.is_file() or destino.read_bytes() != datos:
                distintos.append(destino)
            continue
        destino.write_bytes(datos)
        sys.stdout.write(f"{destino.relative_to(FUENTE.parent)} ({len(datos)} B)\n")
    if distintos:
        sys.stderr.write(
            "Desactualizados (ejecute python h5p_fuente/construir.py): "
            + ", ".join(str(p) for p in distintos)
            + "\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
