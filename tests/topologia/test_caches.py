"""Lo que un nodo guarda en caché vive en Redis: un cambio hecho por un proceso (un
nodo, el admin, un comando) se ve en los dos nodos web en menos de 1 s.

Cada nodo se consulta directo (sin nginx), después de calentar su caché con el
valor anterior: si el tenant por host, el Site de Wagtail o «¿hay restricciones de
vista?» quedaran en la memoria de un proceso, ese nodo seguiría mostrando el valor
viejo hasta TENANT_CACHE_SEGUNDOS (300 s).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.fallas.procesos import cifras_registrar

from .conftest import ayudante

pytestmark = [pytest.mark.django_db, pytest.mark.integracion]

PLAZO_S = 1.0


def _get(puerto: int, ruta: str) -> requests.Response:
    return requests.get(
        f"http://127.0.0.1:{puerto}{ruta}",
        headers={"Host": "alfa.localhost"},
        allow_redirects=False,
        timeout=10,
    )


def _propagacion(topologia, ruta: str, visto, instante: float) -> float:
    """Segundos desde el cambio hasta que los dos nodos lo muestran."""

    # Cada nodo se consulta en su propio hilo: la cifra es lo que tarda el más lento,
    # no la suma de las respuestas de uno y otro.
    def esperar(puerto: int) -> float | None:
        while time.time() < instante + 10:
            if visto(_get(puerto, ruta)):
                return time.time()
            time.sleep(0.02)
        return None

    with ThreadPoolExecutor(max_workers=len(topologia.puertos_web)) as hilos:
        vistos = dict(
            zip(
                topologia.puertos_web,
                hilos.map(esperar, topologia.puertos_web),
                strict=True,
            )
        )
    pendientes = {puerto for puerto, cuando in vistos.items() if cuando is None}
    assert not pendientes, f"nodos {pendientes} siguen con el valor viejo"
    return max(vistos.values()) - instante


def _calentar(topologia, ruta: str, visto) -> None:
    for puerto in topologia.puertos_web:
        for _ in range(4):  # los dos workers de cada nodo
            assert visto(_get(puerto, ruta))


def test_cambios_de_tenant_site_y_restricciones_llegan_a_ambos_nodos(topologia):
    curso = ayudante(topologia, "pagina", "que-es-la-trata")
    tiempos = {}

    # Tenant: nombre y color en cada página (context processor).
    _calentar(
        topologia, "/", lambda r: r.status_code == 200 and "Tenant alfa" in r.text
    )
    cambio = ayudante(topologia, "tenant", "Policía Topológica", "#aa3300")
    tiempos["tenant"] = _propagacion(
        topologia,
        "/",
        lambda r: "Policía Topológica" in r.text and "#aa3300" in r.text,
        cambio["instante"],
    )

    # Restricción de vista: el curso pasa a pedir ingreso.
    _calentar(topologia, curso["url"], lambda r: r.status_code == 200)
    cambio = ayudante(topologia, "restriccion", str(curso["id"]), "1")
    tiempos["restriccion"] = _propagacion(
        topologia,
        curso["url"],
        lambda r: r.status_code == 302 and "/ingresar/" in r.headers["Location"],
        cambio["instante"],
    )
    cambio = ayudante(topologia, "restriccion", str(curso["id"]), "0")
    tiempos["restriccion_quitada"] = _propagacion(
        topologia, curso["url"], lambda r: r.status_code == 200, cambio["instante"]
    )

    # Site: la raíz del sitio pasa a ser el curso.
    _calentar(topologia, "/", lambda r: curso["titulo"] not in _titulo(r))
    cambio = ayudante(topologia, "sitio", str(curso["id"]))
    tiempos["site"] = _propagacion(
        topologia, "/", lambda r: curso["titulo"] in _titulo(r), cambio["instante"]
    )
    ayudante(topologia, "sitio", str(cambio["anterior"]))

    cifras_registrar("topologia_caches", **{k: round(v, 3) for k, v in tiempos.items()})
    for que, segundos in tiempos.items():
        assert segundos <= PLAZO_S, f"{que}: {segundos:.2f} s"


def _titulo(r: requests.Response) -> str:
    inicio = r.text.find("<h1")
    return r.text[inicio : r.text.find("</h1>", inicio)]
