"""Redis (el broker) se cae: el envío del quiz igual se guarda, y el certificado se
emite solo cuando Redis vuelve (el barrido periódico de certificados).

gunicorn, un worker y el beat de Celery corren de verdad contra un Redis privado.
"""

from __future__ import annotations

import re
import time

import pytest

from .navegante import Navegante
from .procesos import (
    RedisPrivado,
    ayudante,
    beat,
    cifras_registrar,
    entorno,
    esperar,
    gunicorn,
    puerto_libre,
    worker,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integracion]

ENVIO_MAXIMO_S = 10.0
RUT = re.compile(r"\b\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]\b")


def test_quiz_se_guarda_sin_redis_y_el_barrido_emite_al_volver(base_privada, tmp_path):
    redis = RedisPrivado()
    procesos = []
    try:
        redis.iniciar()
        env = entorno(base_privada, redis.url)
        datos = ayudante(env, "curso-con-quiz")
        puerto = puerto_libre()
        servidor = gunicorn(env, puerto, tmp_path / "gunicorn.log", workers=1)
        procesos += [
            servidor,
            worker(env, tmp_path / "worker.log"),
            beat(env, tmp_path / "beat.log", tmp_path),
        ]
        persona = Navegante(f"http://127.0.0.1:{puerto}", "alfa.localhost")
        esperar(
            lambda: servidor.vivo() and _responde(persona),
            plazo=40,
            cada=0.5,
            motivo="gunicorn no respondió",
        )
        persona.ingresar(datos["usuario"], datos["clave"])
        iniciar = persona.post(f"/evaluaciones/{datos['evaluacion']}/iniciar/", {})
        assert iniciar.status_code == 302, iniciar.text[:300]
        intento = int(iniciar.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
        respuestas = ayudante(env, "respuestas", str(intento))

        redis.detener()
        inicio = time.monotonic()
        envio = persona.post(f"/evaluaciones/intentos/{intento}/enviar/", respuestas)
        duracion_envio = time.monotonic() - inicio
        assert envio.status_code == 302, envio.text[:300]
        assert envio.headers["Location"].endswith(f"/intentos/{intento}/resultado/")
        assert duracion_envio < ENVIO_MAXIMO_S

        estado = ayudante(env, "estado", str(datos["inscripcion"]))
        assert estado["intentos_calificados"] == 1
        assert estado["completada"], "el envío no guardó la completitud"
        assert estado["certificados"] == 0

        log = servidor.texto_log()
        assert "No se pudo encolar el certificado" in log
        assert not RUT.search(log)

        redis.iniciar()
        vuelta = time.monotonic()
        final = esperar(
            lambda: (
                (e := ayudante(env, "estado", str(datos["inscripcion"])))[
                    "certificados"
                ]
                and e
            ),
            plazo=45,
            cada=0.5,
            motivo="el barrido no emitió el certificado tras volver Redis",
        )
        emitido_en = time.monotonic() - vuelta
        assert final["certificados"] == 1 and final["registros"] == 1

        cifras_registrar(
            "redis_caido",
            envio_sin_broker_s=round(duracion_envio, 3),
            certificado_tras_volver_redis_s=round(emitido_en, 1),
            certificados=final["certificados"],
            registros_publicos=final["registros"],
        )
    finally:
        for proceso in procesos:
            proceso.terminar()
        redis.detener()


def _responde(persona: Navegante) -> bool:
    try:
        return persona.sesion.get(persona.base + "/ingresar/", timeout=5).ok
    except OSError:
        return False
