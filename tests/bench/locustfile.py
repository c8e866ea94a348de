"""Tráfico mixto de Capacita para locust: 70 % lecciones, 20 % quiz, 10 % verificación.

Lo lanza tests/bench/bench_carga.py, que prepara los datos y deja en BENCH_DATOS un
JSON con los hosts, las sesiones de las personas inscritas, las URL de las lecciones,
la evaluación y los códigos de certificados. BENCH_ESPERA es el tiempo de lectura entre
acciones: "0" (sin espera) o "min-max" en segundos.

La topología (tests/topologia/carga.py) usa este mismo archivo con BENCH_QUIZ=abrir:
el quiz inicia un intento y abre su página en vez de enviarlo (sus datos no traen
respuestas, y un envío sin respuestas vuelve al formulario con 200, que locust
contaría como falla sin que ningún nodo haya fallado).

Los pesos 7:1:1 por tarea dan 70/20/10 en peticiones, porque rendir el quiz son dos
POST (iniciar y enviar).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import string

from locust import FastHttpUser, between, constant, task

with open(os.environ["BENCH_DATOS"], encoding="utf-8") as archivo:
    DATOS = json.load(archivo)

_SESIONES = itertools.cycle(DATOS["sesiones"])
_QUIZ_ABRIR = os.environ.get("BENCH_QUIZ", "enviar") == "abrir"
_ALFABETO = string.ascii_letters + string.digits


def _espera():
    valor = os.environ.get("BENCH_ESPERA", "0")
    if valor in ("", "0"):
        return constant(0)
    minimo, maximo = (float(x) for x in valor.split("-"))
    return between(minimo, maximo)


class Funcionaria(FastHttpUser):
    wait_time = _espera()
    # Un límite propio por usuario: con 300 personas no sobra conexión abierta.
    concurrency = 1

    def on_start(self) -> None:
        # Cada persona simulada toma una sesión ya iniciada (como quien volvió ayer).
        # Las cookies de producción son Secure y no viajan por http: se mandan a mano.
        self.csrf = "".join(secrets.choice(_ALFABETO) for _ in range(32))
        cookie = f"sessionid={next(_SESIONES)}; csrftoken={self.csrf}"
        self.tenant = {"Host": DATOS["host_tenant"], "Cookie": cookie}
        self.post_headers = {**self.tenant, "X-CSRFToken": self.csrf}
        self.publico = {"Host": DATOS["host_publico"]}

    def _pagina(self, url: str, headers: dict, nombre: str) -> None:
        """GET sin seguir redirecciones (un 302 al ingreso es una sesión perdida):
        todo lo que no sea 200 es una falla."""
        with self.client.get(
            url,
            headers=headers,
            name=nombre,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"{nombre}: {r.status_code}")

    @task(7)
    def leccion(self) -> None:
        self._pagina(random.choice(DATOS["lecciones"]), self.tenant, "lección")

    @task(1)
    def quiz(self) -> None:
        evaluacion = DATOS["evaluacion"]
        with self.client.post(
            f"/evaluaciones/{evaluacion}/iniciar/",
            headers=self.post_headers,
            name="quiz: iniciar",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            destino = r.headers.get("Location", "")
            if r.status_code != 302 or "/intentos/" not in destino:
                r.failure(f"iniciar: {r.status_code} {destino}")
                return
        if _QUIZ_ABRIR:
            self._pagina(destino, self.tenant, "quiz: intento")
            return
        intento = destino.rstrip("/").rsplit("/", 1)[-1]
        with self.client.post(
            f"/evaluaciones/intentos/{intento}/enviar/",
            headers=self.post_headers,
            data=DATOS["respuestas"],
            name="quiz: enviar",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302 or "/resultado/" not in r.headers.get(
                "Location", ""
            ):
                r.failure(f"enviar: {r.status_code}")

    @task(1)
    def verificacion(self) -> None:
        codigo = random.choice(DATOS["codigos"])
        self._pagina(f"/verificar/{codigo}", self.publico, "verificación")
