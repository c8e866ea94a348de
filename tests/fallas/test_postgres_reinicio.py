"""PostgreSQL se reinicia con carga: 503 en español rápido y recuperación sola.

gunicorn corre contra el PostgreSQL privado; cuatro hilos piden la portada de alfa sin
parar mientras la prueba detiene la base, espera y la vuelve a iniciar. Los mismos
workers de gunicorn (sin reiniciarlos) deben volver a responder 200.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests

from .procesos import (
    ayudante,
    cifras_registrar,
    entorno,
    esperar,
    gunicorn,
    hijos,
    puerto_libre,
)

TEXTO_503 = "Servicio no disponible por un momento"
FALLA_RAPIDA_S = 5.0
RECUPERACION_S = 15.0
CAIDA_S = 3.0

# django_db: pytest-django solo crea la base de prueba (que se copia) si alguna
# prueba la pide.
pytestmark = [pytest.mark.django_db, pytest.mark.integracion]


@dataclass
class Respuesta:
    inicio: float
    fin: float
    estado: int
    en_espanol: bool
    host: str


def _pedir(url: str, host: str) -> Respuesta:
    inicio = time.monotonic()
    try:
        r = requests.get(url, headers={"Host": host}, timeout=30)
        estado, en_espanol = r.status_code, TEXTO_503 in r.text
    except requests.RequestException:
        estado, en_espanol = 0, False
    return Respuesta(inicio, time.monotonic(), estado, en_espanol, host)


class Carga:
    def __init__(self, url: str, hilos: int = 4) -> None:
        self.url = url
        self.respuestas: list[Respuesta] = []
        self._parar = threading.Event()
        self._hilos = [threading.Thread(target=self._bucle) for _ in range(hilos)]

    def _bucle(self) -> None:
        while not self._parar.is_set():
            self.respuestas.append(_pedir(self.url, "alfa.localhost"))
            time.sleep(0.02)

    def __enter__(self):
        for hilo in self._hilos:
            hilo.start()
        return self

    def __exit__(self, *exc) -> None:
        self._parar.set()
        for hilo in self._hilos:
            hilo.join(timeout=40)


def test_base_reiniciada_da_503_rapido_y_la_app_se_recupera(
    pg_privado, base_privada, tmp_path
):
    env = entorno(base_privada)
    # La página de un curso: la portada puede servirse sin consultas (Site en caché).
    ruta = ayudante(env, "url-curso")["url"]
    puerto = puerto_libre()
    base = f"http://127.0.0.1:{puerto}"
    url = base + ruta
    servidor = gunicorn(env, puerto, tmp_path / "gunicorn.log")
    try:
        esperar(
            lambda: _pedir(url, "alfa.localhost").estado == 200,
            plazo=40,
            cada=0.5,
            motivo="gunicorn no respondió 200",
        )
        for _ in range(10):
            assert _pedir(url, "alfa.localhost").estado == 200
        workers_antes = hijos(servidor.pid)

        with Carga(url) as carga:
            time.sleep(1)
            detener_inicio = time.monotonic()
            pg_privado.detener("fast")
            caida = time.monotonic()
            time.sleep(CAIDA_S / 2)
            # beta no se pidió antes: el tenant por host no está en caché, así que
            # la base falla dentro de un middleware (handler500, no process_exception).
            beta = _pedir(url, "beta.localhost")
            salud_caida = _pedir(base + "/salud/", "localhost")
            time.sleep(CAIDA_S / 2)
            # pg_ctl -w vuelve un poco después de que la base ya acepta conexiones.
            antes_de_iniciar = time.monotonic()
            pg_privado.iniciar()
            arriba = time.monotonic()
            esperar(
                lambda: any(
                    r.inicio > arriba and r.estado == 200 for r in carga.respuestas
                ),
                plazo=RECUPERACION_S,
                motivo="la app no se recuperó sola tras reiniciar PostgreSQL",
            )
            time.sleep(1)

        respuestas = carga.respuestas
        durante = [
            r for r in respuestas if caida <= r.inicio and r.fin <= antes_de_iniciar
        ]
        assert durante, "no hubo peticiones con la base caída"
        estados = [r.estado for r in durante]
        assert set(estados) == {503}, {e: estados.count(e) for e in set(estados)}
        assert all(r.en_espanol for r in durante)
        mas_lenta = max(r.fin - r.inicio for r in durante)
        assert mas_lenta < FALLA_RAPIDA_S

        assert beta.estado == 503 and beta.en_espanol, beta
        assert salud_caida.estado == 503
        assert _pedir(base + "/salud/", "localhost").estado == 200

        # Nunca un 500 ni una conexión cortada, ni siquiera en el instante del corte.
        assert {r.estado for r in respuestas} <= {200, 503}

        primer_503 = min(r.fin for r in respuestas if r.estado == 503)
        primer_200 = min(
            r.fin for r in respuestas if r.inicio > arriba and r.estado == 200
        )
        posteriores = [r for r in respuestas if r.inicio > primer_200]
        assert posteriores and all(r.estado == 200 for r in posteriores)

        assert servidor.vivo()
        assert hijos(servidor.pid) == workers_antes, "gunicorn reinició sus workers"

        cifras_registrar(
            "postgres_reinicio",
            peticiones=len(respuestas),
            peticiones_con_base_caida=len(durante),
            respuestas_503=sum(r.estado == 503 for r in respuestas),
            primer_503_tras_detener_s=round(primer_503 - detener_inicio, 3),
            falla_mas_lenta_s=round(mas_lenta, 3),
            recuperacion_tras_iniciar_s=round(primer_200 - arriba, 3),
            beta_sin_cache=beta.estado,
        )
    finally:
        servidor.terminar()
        try:
            pg_privado.psql("SELECT 1")
        except Exception:  # noqa: BLE001 - si la prueba falló con la base detenida
            pg_privado.iniciar()
