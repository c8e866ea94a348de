"""Dos nodos web detrás de nginx: uno se detiene bajo carga y casi nadie lo nota (y
nadie si se drena antes); vuelve y recibe tráfico otra vez. Los límites de ingreso
son uno solo para los dos nodos."""

from __future__ import annotations

import os
import re
import time

import pytest
import requests

from tests.fallas.procesos import cifras_registrar

from .carga import atendidas, locust_lanzar, locust_resultado

pytestmark = [pytest.mark.django_db, pytest.mark.integracion]

MAX_FALLAS = 0.01
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_un_nodo_cae_bajo_carga_sin_fallas_y_vuelve(topologia, tmp_path):
    carga = os.getloadavg()[0]
    locust, prefijo = locust_lanzar(topologia, tmp_path, usuarios=6, segundos=30)
    try:
        time.sleep(7)
        antes_caida = [atendidas(topologia, i) for i in (0, 1)]
        assert all(antes_caida), (
            f"ambos nodos atienden antes de la caída: {antes_caida}"
        )
        topologia.nodo_detener(1)
        caida = [atendidas(topologia, i) for i in (0, 1)]
        time.sleep(6)
        durante = [atendidas(topologia, i) for i in (0, 1)]
        topologia.nodo_iniciar(1)
        vuelta = atendidas(topologia, 1)
        locust.wait(timeout=60)
    finally:
        if locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=10)
    final = [atendidas(topologia, i) for i in (0, 1)]
    r = locust_resultado(prefijo)
    r.update(carga_1min=round(carga, 2), carga_final=round(os.getloadavg()[0], 2))
    r["proporcion_fallas"] = r["fallas"] / max(1, r["peticiones"])
    cifras_registrar("topologia_nodo_cae", **r)
    assert r["peticiones"] > 100
    assert r["proporcion_fallas"] <= MAX_FALLAS, r
    # El otro nodo siguió atendiendo; el detenido no, hasta volver.
    assert durante[0] - caida[0] > 20, (caida, durante)
    assert durante[1] == caida[1]
    # Al volver, nginx le manda tráfico otra vez (pasado fail_timeout).
    assert final[1] - vuelta > 10, (vuelta, final)


def _ingresar(puerto: int, usuario: str, clave: str) -> requests.Response:
    """Un intento de ingreso directo a un nodo, desde la IP que nginx informaría."""
    sesion = requests.Session()
    cabeceras = {"Host": "alfa.localhost", "X-Real-IP": "203.0.113.7"}
    base = f"http://127.0.0.1:{puerto}/ingresar/"
    formulario = sesion.get(base, headers=cabeceras, timeout=10)
    token = CSRF.search(formulario.text).group(1)
    return sesion.post(
        base,
        data={"username": usuario, "password": clave, "csrfmiddlewaretoken": token},
        headers={**cabeceras, "Cookie": f"csrftoken={formulario.cookies['csrftoken']}"},
        allow_redirects=False,
        timeout=30,
    )


def test_limite_de_ingresos_compartido_entre_nodos(topologia):
    datos = topologia.datos
    usuario = "carga_0001"
    a, b = topologia.puertos_web
    for intento in range(5):
        puerto = (a, b)[intento % 2]
        respuesta = _ingresar(puerto, usuario, "clave-equivocada")
        assert respuesta.status_code == 200
        assert "Demasiados intentos" not in respuesta.text
    # El sexto, con la clave correcta y en el nodo que solo vio dos fallos: bloqueado.
    bloqueado = _ingresar(b, usuario, datos["clave_aprendiz"])
    assert bloqueado.status_code == 429
    assert "Demasiados intentos fallidos de ingreso" in bloqueado.text
    assert "sessionid" not in bloqueado.headers.get("Set-Cookie", "")
    # Otra persona desde la misma IP sigue entrando.
    otra = _ingresar(a, "carga_0002", datos["clave_aprendiz"])
    assert otra.status_code == 302


def test_reinicio_planificado_de_un_nodo_sin_ninguna_falla(topologia, tmp_path):
    """Drenado: el nodo sale del upstream (down + recarga de nginx) antes de
    detenerse; ni siquiera un POST llega a un socket que se cierra."""
    carga = os.getloadavg()[0]
    # Tiempo de sobra tras reincorporar: el nodo tarda unos segundos en arrancar y
    # debe alcanzar a atender carga antes de que locust termine.
    locust, prefijo = locust_lanzar(topologia, tmp_path, usuarios=6, segundos=35)
    try:
        time.sleep(5)
        topologia.nodo_drenar(0)
        fuera = atendidas(topologia, 0)
        time.sleep(4)
        assert atendidas(topologia, 0) == fuera
        topologia.nodo_reincorporar(0)
        vuelta = atendidas(topologia, 0)
        locust.wait(timeout=60)
    finally:
        if locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=10)
    r = locust_resultado(prefijo)
    r.update(carga_1min=round(carga, 2), carga_final=round(os.getloadavg()[0], 2))
    cifras_registrar("topologia_nodo_drenado", **r)
    assert r["peticiones"] > 100
    assert r["fallas"] == 0, r
    assert atendidas(topologia, 0) - vuelta > 10
