"""Un recorrido por nginx con dos nodos web, el worker con beat, Redis y PostgreSQL:
ingreso, una lección, un archivo de un paquete H5P por su origen aislado, una
descarga privada por X-Accel-Redirect y la verificación pública."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.fallas.procesos import esperar
from verificacion.codigos import codigo_formatear

from .conftest import Persona

pytestmark = [pytest.mark.django_db, pytest.mark.integracion]


def test_estaticos_los_entrega_nginx(topologia):
    respuesta = requests.get(f"{topologia.url}/static/css/capacita.css", timeout=10)
    assert respuesta.status_code == 200
    assert "--color-primario" in respuesta.text
    # nginx, no whitenoise: lleva su caché larga y ningún nodo la registró.
    assert "immutable" in respuesta.headers["Cache-Control"]
    for nodo in ("web1", "web2"):
        acceso = topologia.directorio / "logs" / f"{nodo}.acc"
        assert "/static/css/capacita.css" not in acceso.read_text()


def test_recorrido_de_una_aprendiz_por_nginx(topologia, persona):
    datos = topologia.datos
    persona.ingresar(datos["aprendiz"], datos["clave_aprendiz"])
    leccion = persona.get(datos["lecciones"][0])
    assert leccion.status_code == 200, leccion.text[:300]
    assert "Cerrar sesión" in leccion.text or "Salir" in leccion.text


def test_paquete_h5p_por_su_origen_aislado_con_x_accel(topologia):
    carpeta = topologia.datos["paquete_carpeta"]
    media = Path(topologia.env["MEDIA_ROOT"]) / "alfa" / "h5p" / carpeta
    ruta = f"/h5p/paquetes/alfa/{carpeta}/h5p.json"
    respuesta = requests.get(
        topologia.url + ruta, headers={"Host": "paquetes.localhost"}, timeout=10
    )
    assert respuesta.status_code == 200
    # El cuerpo lo leyó nginx del disco (Django respondió vacío con X-Accel-Redirect).
    assert respuesta.content == (media / "h5p.json").read_bytes()
    assert "X-Accel-Redirect" not in respuesta.headers
    assert respuesta.headers["Content-Security-Policy"].startswith(
        "sandbox allow-scripts"
    )
    assert respuesta.headers["Access-Control-Allow-Origin"] == "*"
    assert "sessionid" not in respuesta.headers.get("Set-Cookie", "")
    # El host del tenant ya no sirve paquetes, ni nadie alcanza la location interna.
    en_tenant = requests.get(
        topologia.url + f"/h5p/paquetes/{carpeta}/h5p.json",
        headers={"Host": "alfa.localhost"},
        timeout=10,
    )
    assert en_tenant.status_code == 404
    interna = requests.get(
        topologia.url + f"/_paquetes/alfa/h5p/{carpeta}/h5p.json",
        headers={"Host": "paquetes.localhost"},
        timeout=10,
    )
    assert interna.status_code == 404
    # El host de paquetes no sirve el sitio.
    sitio = requests.get(
        topologia.url + "/ingresar/", headers={"Host": "paquetes.localhost"}, timeout=10
    )
    assert sitio.status_code == 404


def test_lote_zip_lo_arma_el_worker_y_se_descarga_por_x_accel(topologia):
    datos = topologia.datos
    encargada = Persona(topologia.url, datos["host_tenant"])
    encargada.ingresar(datos["encargada"], datos["clave"])
    solicitud = encargada.post(
        "/certificados/encargado/lotes/", {"unidad": datos["unidad"]}
    )
    assert solicitud.status_code == 302, solicitud.text[:300]
    lote = solicitud.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    inicio = time.monotonic()
    esperar(
        lambda: (
            encargada.get(f"/certificados/encargado/lotes/{lote}/estado/").json()[
                "estado"
            ]
            == "listo"
        ),
        plazo=60,
        cada=0.5,
        motivo="el worker no armó el ZIP",
    )
    assert time.monotonic() - inicio < 60
    url = f"/certificados/encargado/lotes/{lote}/descargar/"
    descarga = encargada.get(url)
    assert descarga.status_code == 200
    assert "X-Accel-Redirect" not in descarga.headers
    assert descarga.headers["Content-Security-Policy"].startswith("sandbox")
    with zipfile.ZipFile(io.BytesIO(descarga.content)) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == len(
            datos["sesiones"]
        )
    anonima = requests.get(
        topologia.url + url, headers={"Host": datos["host_tenant"]}, timeout=10
    )
    # Sin sesión: 404, ni siquiera se confirma que exista.
    assert anonima.status_code == 404
    assert not anonima.content.startswith(b"PK")
    directa = requests.get(
        topologia.url + "/_interno/privados/alfa/",
        headers={"Host": datos["host_tenant"]},
        timeout=10,
    )
    assert directa.status_code == 404


def test_verificacion_publica_por_nginx(topologia):
    codigo = topologia.datos["codigos"][0]
    respuesta = requests.get(
        f"{topologia.url}/verificar/{codigo}",
        headers={"Host": "localhost"},
        timeout=10,
        allow_redirects=False,
    )
    assert respuesta.status_code == 200
    assert codigo_formatear(codigo) in respuesta.text
