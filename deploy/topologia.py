"""La topología de producción en una sola máquina (DESIGN.md §9).

    python deploy/topologia.py start [--dir D] [--nodos 2] [--workers 2] [--migrar]
    python deploy/topologia.py status [--dir D]
    python deploy/topologia.py stop [--dir D]

Levanta, sin root y sin tocar la configuración del sistema:
- nginx (el de Debian, /usr/sbin/nginx) en un puerto libre, con su prefijo, pid, logs
  y temporales bajo D (por defecto /tmp/capacita-topologia), desde
  deploy/nginx.conf.plantilla;
- N nodos web gunicorn (por defecto 2), procesos separados con su puerto;
- un worker de Celery con beat (-B);
- Redis: REDIS_URL si viene, o el del sistema (redis://127.0.0.1:6379/<CAPACITA_REDIS_DB,
  13 por defecto>) como caché, límites y broker;
- PostgreSQL: DATABASE_URL si viene, o postgres://postgres@127.0.0.1:5432/capacita.

Todos los procesos leen los mismos ajustes del entorno (config.settings.production);
los secretos obligatorios se generan para la corrida y quedan en D/entorno.json (modo
0600), así `stop`, `status` y un nodo reiniciado usan los mismos. Las pruebas de
tests/topologia/ usan la clase ``Topologia`` directamente.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
PLANTILLA = Path(__file__).with_name("nginx.conf.plantilla")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DIR_DEFECTO = Path(os.environ.get("CAPACITA_TOPOLOGIA_DIR", "/tmp/capacita-topologia"))
HOST_PUBLICO = "localhost"
HOST_PAQUETES = "paquetes.localhost"
# Un nodo que falla queda fuera del upstream este tiempo (chequeo pasivo de nginx).
FUERA_S = 3


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _esperar(condicion, plazo: float, motivo: str) -> None:
    limite = time.monotonic() + plazo
    while not condicion():
        if time.monotonic() > limite:
            raise TimeoutError(motivo)
        time.sleep(0.3)


def responde(puerto: int, ruta: str = "/salud/", host: str = HOST_PUBLICO) -> bool:
    pedido = urllib.request.Request(
        f"http://127.0.0.1:{puerto}{ruta}", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(pedido, timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


def proceso_vivo(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # Un hijo terminado que nadie recogió (zombi) no cuenta como vivo.
    try:
        estado = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return estado != "Z"


def backends_pids(database_url: str) -> list[int]:
    """Los procesos de PostgreSQL conectados a la base de ``database_url``."""
    salida = subprocess.run(
        ["psql", database_url, "-Atc"]
        + ["SELECT pid FROM pg_stat_activity WHERE datname = current_database()"],
        capture_output=True,
        text=True,
    ).stdout
    return [int(x) for x in salida.split()]


def cpu_s(pid: int) -> float:
    """Segundos de CPU (usuario + sistema) de un proceso y sus hijos vivos."""
    total = 0.0
    for p in [pid, *_hijos(pid)]:
        try:
            campos = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _hijos(pid: int) -> list[int]:
    salida = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(x) for x in salida.split()]


def entorno_generar(
    *,
    database_url: str,
    redis_url: str,
    directorio: Path,
    puerto_nginx: int,
) -> dict[str, str]:
    """Las variables de entorno que comparten todos los nodos (secretos nuevos)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "INDICADORES_CLAVE_PERSONA": secrets.token_urlsafe(48),
        "CERTIFICADOS_CLAVE_ED25519": base64.urlsafe_b64encode(
            secrets.token_bytes(32)
        ).decode(),
        "REDIS_CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "ALLOWED_HOSTS": f".localhost,{HOST_PUBLICO},127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": (
            f"http://{HOST_PUBLICO}:{puerto_nginx},http://*.localhost:{puerto_nginx}"
        ),
        # Sin TLS en esta máquina (en producción lo termina nginx o el balanceador).
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CAPACITA_ESQUEMA": "http",
        "CAPACITA_DOMINIO": HOST_PUBLICO,
        "CAPACITA_PUERTO": str(puerto_nginx),
        "MEDIA_ROOT": str(directorio / "media"),
        "ARCHIVOS_PRIVADOS_DIR": str(directorio / "privados"),
        "INDICADORES_EXPORTACIONES_DIR": str(directorio / "exportaciones"),
        "ARCHIVOS_X_ACCEL": "1",
        "CAPACITA_X_ACCEL_PAQUETES": "/_paquetes",
        "CAPACITA_HOST_PAQUETES": HOST_PAQUETES,
        "INGRESO_CABECERA_IP": "HTTP_X_REAL_IP",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(RAIZ),
    }


@dataclass
class Topologia:
    """Estado de una corrida: puertos, pids y entorno, guardados en D/estado.json."""

    directorio: Path = DIR_DEFECTO
    nodos: int = 2
    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    puerto: int = 0
    puertos_web: list[int] = field(default_factory=list)
    pids: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------------ estado

    @property
    def _estado(self) -> Path:
        return self.directorio / "estado.json"

    def guardar(self) -> None:
        datos = {
            "nodos": self.nodos,
            "workers": self.workers,
            "puerto": self.puerto,
            "puertos_web": self.puertos_web,
            "pids": self.pids,
        }
        self._estado.write_text(json.dumps(datos, indent=2), encoding="utf-8")
        secreto = self.directorio / "entorno.json"
        secreto.touch(mode=0o600)
        secreto.write_text(json.dumps(self.env, indent=2), encoding="utf-8")

    @classmethod
    def cargar(cls, directorio: Path) -> Topologia:
        datos = json.loads((directorio / "estado.json").read_text(encoding="utf-8"))
        env = json.loads((directorio / "entorno.json").read_text(encoding="utf-8"))
        return cls(directorio=directorio, env=env, **datos)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.puerto}"

    def entorno(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    # ------------------------------------------------------------------ arranque

    def preparar(self, *, database_url: str, redis_url: str) -> None:
        self.directorio.mkdir(parents=True, exist_ok=True)
        for sub in ("logs", "tmp", "media", "privados", "exportaciones"):
            (self.directorio / sub).mkdir(exist_ok=True)
        # Los workers de nginx (www-data si se arranca como root) leen media y
        # privados: las carpetas, recorribles; los archivos quedan 0644 (umask).
        for carpeta in (self.directorio, self.directorio / "media"):
            carpeta.chmod(0o755)
        (self.directorio / "privados").chmod(0o755)
        if not self.puerto:
            self.puerto = puerto_libre()
            self.puertos_web = [puerto_libre() for _ in range(self.nodos)]
        if not self.env:
            self.env = entorno_generar(
                database_url=database_url,
                redis_url=redis_url,
                directorio=self.directorio,
                puerto_nginx=self.puerto,
            )
        self.guardar()

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=RAIZ,
            env=self.entorno(),
            check=True,
        )

    def _lanzar(self, nombre: str, orden: list[str]) -> int:
        log = (self.directorio / "logs" / f"{nombre}.log").open("ab")
        proceso = subprocess.Popen(
            orden,
            cwd=RAIZ,
            env=self.entorno(),
            stdout=log,
            stderr=subprocess.STDOUT,
            # Su propio grupo: detenerlo no toca a quien lo lanzó.
            start_new_session=True,
        )
        log.close()
        self.pids[nombre] = proceso.pid
        self.guardar()
        return proceso.pid

    def nodo_iniciar(self, i: int, *, esperar: bool = True) -> None:
        puerto = self.puertos_web[i]
        self._lanzar(
            f"web{i + 1}",
            [sys.executable, "-m", "gunicorn", "config.wsgi"]
            + ["-b", f"127.0.0.1:{puerto}", "-w", str(self.workers)]
            + ["--timeout", "30", "--graceful-timeout", "10"]
            + ["--access-logfile", str(self.directorio / "logs" / f"web{i + 1}.acc")]
            + ["--access-logformat", "%(s)s %(M)s %(m)s %(U)s"],
        )
        if esperar:
            _esperar(
                lambda: responde(puerto),
                60,
                f"el nodo web{i + 1} no respondió (ver {self.directorio}/logs)",
            )

    def nodo_detener(self, i: int, *, senal: int = signal.SIGTERM) -> None:
        self._detener(f"web{i + 1}", senal)

    def nginx_recargar(self, abajo: frozenset[int] = frozenset()) -> None:
        """Reescribe la configuración y la recarga (SIGHUP): los workers viejos de
        nginx terminan lo que atienden y los nuevos ya usan el upstream nuevo."""
        self.nginx_conf(abajo)
        os.kill(self.pids["nginx"], signal.SIGHUP)
        time.sleep(1)

    def nodo_drenar(self, i: int) -> None:
        """Reinicio planificado: el nodo sale del upstream antes de detenerse, así
        ninguna petición (tampoco un POST) llega a un socket que se cierra."""
        self.nginx_recargar(frozenset({i}))
        self.nodo_detener(i)

    def nodo_reincorporar(self, i: int) -> None:
        self.nodo_iniciar(i)
        self.nginx_recargar()

    def worker_iniciar(self) -> None:
        self._lanzar(
            "celery",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-B"]
            + ["--concurrency", "1", "--loglevel", "INFO", "--without-gossip"]
            + ["-s", str(self.directorio / "beat-schedule")],
        )

    def nginx_conf(self, abajo: frozenset[int] = frozenset()) -> Path:
        nodos = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout={FUERA_S}s"
            + (" down;" if i in abajo else ";")
            for i, p in enumerate(self.puertos_web)
        )
        valores = {
            "PREFIJO": str(self.directorio),
            "PUERTO": str(self.puerto),
            "NODOS": nodos,
            "FUERA_S": str(FUERA_S),
            "STATIC_ROOT": str(RAIZ / "staticfiles"),
            "MEDIA_ROOT": self.env["MEDIA_ROOT"],
            "PRIVADOS": self.env["ARCHIVOS_PRIVADOS_DIR"],
            "HOST_PAQUETES": HOST_PAQUETES,
            "CUERPO_MAX": "52m",
        }
        texto = PLANTILLA.read_text(encoding="utf-8")
        for clave, valor in valores.items():
            texto = texto.replace("{{" + clave + "}}", valor)
        if os.geteuid() == 0:
            usuario = "www-data" if _usuario_existe("www-data") else "nobody"
            texto = f"user {usuario};\n" + texto
        destino = self.directorio / "nginx.conf"
        destino.write_text(texto, encoding="utf-8")
        return destino

    def nginx_iniciar(self) -> None:
        for sub in ("cuerpo", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.directorio / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.nginx_conf()
        base = [NGINX, "-p", str(self.directorio), "-c", str(conf)]
        base += ["-e", str(self.directorio / "logs" / "error.log")]
        subprocess.run([*base, "-t", "-q"], check=True)
        self._lanzar("nginx", [*base, "-g", "daemon off;"])
        _esperar(
            lambda: responde(self.puerto, "/nginx-salud"), 20, "nginx no respondió"
        )

    def iniciar(
        self, *, migrar: bool = False, estaticos: bool = True, esperar: bool = True
    ) -> None:
        if migrar:
            self.manage("migrate_schemas", "--executor=multiprocessing", "-v", "0")
        if estaticos and not estaticos_al_dia():
            self.manage("collectstatic", "--noinput", "-v", "0")
        for i in range(self.nodos):
            self.nodo_iniciar(i, esperar=False)
        self.worker_iniciar()
        if esperar:
            self.esperar_listo()

    def esperar_listo(self) -> None:
        """Los nodos responden /salud/; recién entonces arranca nginx."""
        for i, puerto in enumerate(self.puertos_web):
            _esperar(lambda p=puerto: responde(p), 90, f"web{i + 1} no respondió")
        self.nginx_iniciar()

    # ------------------------------------------------------------------ parada

    def _detener(self, nombre: str, senal: int = signal.SIGTERM) -> None:
        pid = self.pids.get(nombre)
        if not proceso_vivo(pid):
            self.pids.pop(nombre, None)
            return
        try:
            os.killpg(pid, senal)
        except ProcessLookupError:
            pass
        try:
            _esperar(lambda: not proceso_vivo(pid), 20, f"{nombre} no terminó")
        except TimeoutError:
            os.killpg(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        self.pids.pop(nombre, None)
        self.guardar()

    def detener(self) -> None:
        # nginx primero (deja de aceptar), luego los nodos y el worker.
        for nombre in sorted(self.pids, key=lambda n: n != "nginx"):
            self._detener(nombre, signal.SIGQUIT if nombre == "nginx" else 15)

    def estado(self) -> dict[str, str]:
        salida = {}
        for nombre, pid in sorted(self.pids.items()):
            salida[nombre] = f"pid {pid} " + ("vivo" if proceso_vivo(pid) else "muerto")
        for i, puerto in enumerate(self.puertos_web):
            ok = responde(puerto)
            salida[f"web{i + 1} :{puerto}"] = "responde" if ok else "no responde"
        ok = responde(self.puerto)
        salida[f"nginx :{self.puerto} /salud/"] = "responde" if ok else "no responde"
        return salida


def estaticos_al_dia() -> bool:
    """El manifiesto de collectstatic es más nuevo que todo static/ (el de los paquetes
    instalados cambia solo al actualizar dependencias: entonces, collectstatic)."""
    manifiesto = RAIZ / "staticfiles" / "staticfiles.json"
    if not manifiesto.exists():
        return False
    hecho = manifiesto.stat().st_mtime
    return all(p.stat().st_mtime <= hecho for p in (RAIZ / "static").rglob("*"))


def _usuario_existe(nombre: str) -> bool:
    try:
        pwd.getpwnam(nombre)
    except KeyError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("orden", choices=["start", "stop", "status"])
    parser.add_argument("--dir", type=Path, default=DIR_DEFECTO)
    parser.add_argument("--nodos", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--migrar", action="store_true")
    args = parser.parse_args()
    if args.orden == "start":
        anterior = None
        if (args.dir / "estado.json").exists():
            anterior = Topologia.cargar(args.dir)
            if any(proceso_vivo(p) for p in anterior.pids.values()):
                raise SystemExit(f"ya corre en {args.dir}: use stop primero")
        database_url = os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capacita"
        )
        redis_db = os.environ.get("CAPACITA_REDIS_DB", "13")
        redis_url = os.environ.get("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}")
        # Un segundo start en la misma carpeta conserva puertos y secretos (las
        # sesiones y datos preparados siguen valiendo); carpeta nueva, secretos nuevos.
        topologia = anterior or Topologia(
            directorio=args.dir, nodos=args.nodos, workers=args.workers
        )
        topologia.preparar(database_url=database_url, redis_url=redis_url)
        topologia.iniciar(migrar=args.migrar)
        print(f"Capacita en {topologia.url} (Host: <tenant>.localhost)")
        print(f"logs en {args.dir}/logs")
    elif args.orden == "stop":
        if not (args.dir / "estado.json").exists():
            print("no hay topología en", args.dir)
            return
        Topologia.cargar(args.dir).detener()
        print("detenida")
    else:
        if not (args.dir / "estado.json").exists():
            print("no hay topología en", args.dir)
            raise SystemExit(3)
        for clave, valor in Topologia.cargar(args.dir).estado().items():
            print(f"{clave:<28}{valor}")


if __name__ == "__main__":
    main()
