"""Tráfico mixto para la topología: el de tests/bench/locustfile.py (70 % lecciones,
20 % quiz, 10 % verificación), salvo que el quiz inicia un intento y abre su página
en vez de enviarlo vacío (un envío sin respuestas vuelve al formulario con 200, que
locust contaría como falla sin que ningún nodo haya fallado)."""

from __future__ import annotations

from locust import FastHttpUser

from tests.bench import locustfile as base


class FuncionariaTopologia(FastHttpUser):
    # Sin heredar de base.Funcionaria: locust sumaría sus tareas a las de aquí.
    wait_time = base.Funcionaria.wait_time
    concurrency = 1
    on_start = base.Funcionaria.on_start

    def quiz(self) -> None:
        evaluacion = base.DATOS["evaluacion"]
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
        with self.client.get(
            destino,
            headers=self.tenant,
            name="quiz: intento",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"intento: {r.status_code}")

    tasks = {
        base.Funcionaria.leccion: 7,
        quiz: 1,
        base.Funcionaria.verificacion: 1,
    }
