"""Carga mixta por nginx con 2 nodos y con 1, y la CPU que cuesta cada petición.

Uso (con una topología ya levantada por deploy/topologia.py y sus datos preparados
con ``python -m tests.topologia.ayudante preparar > <dir>/datos.json``):

    python -m tests.topologia.bench_topologia --dir /tmp/capacita-topologia \\
        [--usuarios 8] [--segundos 20]

Para cada configuración corre locust sin espera (tests/bench/locustfile.py con
BENCH_QUIZ=abrir) y
suma la CPU (usuario + sistema, de /proc) de los nodos gunicorn, nginx, el worker de
Celery y los backends de PostgreSQL de la base: CPU por petición = esa suma / las
peticiones atendidas. Imprime la carga de la máquina (load1) antes y después de cada
cifra y deja el JSON en .data/bench/topologia-<fecha>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from deploy.topologia import Topologia, backends_pids, cpu_s
from tests.fallas.procesos import RAIZ

from .carga import atendidas, locust_lanzar, locust_resultado


def _cpu(topologia: Topologia) -> dict[str, float]:
    cpu = {nombre: cpu_s(pid) for nombre, pid in topologia.pids.items()}
    cpu["postgres"] = sum(
        cpu_s(pid) for pid in backends_pids(topologia.env["DATABASE_URL"])
    )
    return cpu


def medir(topologia: Topologia, carpeta: Path, usuarios: int, segundos: int) -> dict:
    carga_antes = os.getloadavg()[0]
    servidas_antes = sum(atendidas(topologia, i) for i in range(topologia.nodos))
    cpu_antes = _cpu(topologia)
    inicio = time.monotonic()
    locust, prefijo = locust_lanzar(
        topologia, carpeta, usuarios=usuarios, segundos=segundos
    )
    locust.wait(timeout=segundos + 60)
    pared = time.monotonic() - inicio
    cpu_despues = _cpu(topologia)
    servidas = (
        sum(atendidas(topologia, i) for i in range(topologia.nodos)) - servidas_antes
    )
    resultado = locust_resultado(prefijo)
    cpu = {
        k: round(cpu_despues.get(k, 0) - cpu_antes.get(k, 0), 2) for k in cpu_despues
    }
    total = sum(cpu.values())
    resultado.update(
        usuarios=usuarios,
        segundos=segundos,
        atendidas=servidas,
        cpu_s=cpu,
        cpu_ms_por_peticion=round(1000 * total / max(1, servidas), 1),
        cpu_nucleos_usados=round(total / pared, 2),
        carga_antes=round(carga_antes, 2),
        carga_despues=round(os.getloadavg()[0], 2),
    )
    return resultado


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/capacita-topologia"))
    parser.add_argument("--usuarios", type=int, default=8)
    parser.add_argument("--segundos", type=int, default=20)
    args = parser.parse_args()
    topologia = Topologia.cargar(args.dir)
    topologia.datos = json.loads((args.dir / "datos.json").read_text())
    carpeta = Path(tempfile.mkdtemp(prefix="bench-topologia-"))
    resultados = {"fecha_utc": time.strftime("%Y%m%d-%H%M%S", time.gmtime())}
    resultados["cpus"] = os.cpu_count()
    (carpeta / "calentar").mkdir()
    medir(topologia, carpeta / "calentar", 4, 5)
    for nombre in ("dos_nodos", "un_nodo"):
        if nombre == "un_nodo":
            topologia.nodo_detener(1)
            time.sleep(2)
        (carpeta / nombre).mkdir()
        r = medir(topologia, carpeta / nombre, args.usuarios, args.segundos)
        resultados[nombre] = r
        print(
            f"{nombre:<10} {r['rps']:>7.1f} req/s  p50 {r['p50_ms']:>5.0f} ms  "
            f"p95 {r['p95_ms']:>5.0f} ms  {r['fallas']} fallas/{r['peticiones']}  "
            f"CPU {r['cpu_ms_por_peticion']} ms/pet  núcleos {r['cpu_nucleos_usados']}"
            f"  carga {r['carga_antes']}→{r['carga_despues']}",
            flush=True,
        )
    topologia.nodo_iniciar(1)
    salida = RAIZ / ".data" / "bench" / f"topologia-{resultados['fecha_utc']}.json"
    salida.parent.mkdir(parents=True, exist_ok=True)
    salida.write_text(json.dumps(resultados, indent=2), encoding="utf-8")
    print(f"resultado en {salida}")


if __name__ == "__main__":
    main()
