"""Proveedor OpenID Connect para pruebas, con claims de la forma de ClaveÚnica.

Corre como proceso aparte (``python tests/cuentas/proveedor_oidc.py --client-id …
--client-secret …``), escucha en un puerto libre de 127.0.0.1 y lo anuncia en su
primera línea de salida. Genera su par RSA al partir. Implementa:

- ``/.well-known/openid-configuration`` (descubrimiento) y ``/jwks``;
- ``/authorize``: aprueba solo (sin pantalla) al RUN configurado y vuelve al
  ``redirect_uri`` con ``code`` y ``state``; exige ``openid run name``, ``nonce`` y
  PKCE S256;
- ``/token``: revisa el código (de un solo uso), el secreto del cliente, el
  ``redirect_uri`` y el verificador PKCE, y entrega un id_token RS256 con el nonce;
- ``/userinfo``: ``sub``, ``RolUnico`` y ``name``, como ClaveÚnica;
- ``/logout``: RP-Initiated Logout, vuelve a ``post_logout_redirect_uri``.

Para las pruebas: ``POST /_control`` fija la persona y el modo del próximo ingreso
(``normal``, ``firma_alterada``, ``nonce_ajeno``, ``vencido``) y ``GET /_estado``
devuelve lo que el proveedor vio (parámetros de /authorize, canjes, salidas).
:class:`Proveedor` lo inicia y lo detiene desde una prueba.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

MODOS = {"normal", "firma_alterada", "nonce_ajeno", "vencido"}


class _Estado:
    def __init__(self, base: str, client_id: str, client_secret: str):
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.base = base
        self.client_id = client_id
        self.client_secret = client_secret
        self.clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.persona = {"numero": 0, "DV": "0", "nombres": [], "apellidos": []}
        self.modo = "normal"
        self.codigos: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.autorizaciones: list[dict] = []
        self.canjes: list[dict] = []
        self.salidas: list[dict] = []
        self.candado = threading.Lock()

    def descubrimiento(self) -> dict:
        b = self.base
        return {
            "issuer": b,
            "authorization_endpoint": f"{b}/authorize",
            "token_endpoint": f"{b}/token",
            "userinfo_endpoint": f"{b}/userinfo",
            "jwks_uri": f"{b}/jwks",
            "end_session_endpoint": f"{b}/logout",
            "scopes_supported": ["openid", "run", "name"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "client_secret_basic",
            ],
        }

    def jwks(self) -> dict:
        import jwt

        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.clave.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def sub(self, numero: int) -> str:
        # Identificador opaco del proveedor: no es el RUN.
        return hashlib.sha256(f"sub:{numero}".encode()).hexdigest()[:20]

    def id_token(self, datos: dict) -> str:
        import jwt

        ahora = int(time.time())
        contenido = {
            "iss": self.base,
            "sub": self.sub(datos["persona"]["numero"]),
            "aud": self.client_id,
            "iat": ahora,
            "exp": ahora + 300,
            "auth_time": ahora,
            "nonce": datos["nonce"],
        }
        if datos["modo"] == "nonce_ajeno":
            contenido["nonce"] = secrets.token_urlsafe(16)
        if datos["modo"] == "vencido":
            contenido["iat"] = ahora - 7200
            contenido["exp"] = ahora - 3600
        token = jwt.encode(
            contenido, self.clave, algorithm="RS256", headers={"kid": self.kid}
        )
        if datos["modo"] == "firma_alterada":
            # Cambia el contenido y conserva la firma original: otro sub.
            cabecera, _cuerpo, firma = token.split(".")
            contenido["sub"] = self.sub(1)
            cuerpo = (
                base64.urlsafe_b64encode(json.dumps(contenido).encode())
                .rstrip(b"=")
                .decode()
            )
            token = f"{cabecera}.{cuerpo}.{firma}"
        return token


def _s256(verificador: str) -> str:
    digest = hashlib.sha256(verificador.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Manejador(BaseHTTPRequestHandler):
    estado: _Estado

    def log_message(self, format, *args):
        # Sin bitácora: la prueba revisa que el RUN no aparezca en ninguna.
        pass

    def _json(self, datos, codigo=200):
        cuerpo = json.dumps(datos).encode()
        self.send_response(codigo)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(cuerpo)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(cuerpo)

    def _redirigir(self, url):
        self.send_response(302)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _formulario(self) -> dict[str, str]:
        largo = int(self.headers.get("Content-Length") or 0)
        texto = self.rfile.read(largo).decode()
        return {k: v[0] for k, v in parse_qs(texto).items()}

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        rutas = {
            "/.well-known/openid-configuration": lambda: self._json(
                self.estado.descubrimiento()
            ),
            "/jwks": lambda: self._json(self.estado.jwks()),
            "/authorize": lambda: self._autorizar(q),
            "/userinfo": self._userinfo,
            "/logout": lambda: self._salir(q),
            "/_estado": self._estado,
        }
        accion = rutas.get(url.path)
        if accion is None:
            self._json({"error": "not_found"}, 404)
        else:
            accion()

    def do_POST(self):
        ruta = urlparse(self.path).path
        if ruta == "/token":
            self._token()
        elif ruta == "/userinfo":
            self._userinfo()
        elif ruta == "/_control":
            largo = int(self.headers.get("Content-Length") or 0)
            self._control(json.loads(self.rfile.read(largo) or b"{}"))
        else:
            self._json({"error": "not_found"}, 404)

    def _autorizar(self, q):
        e = self.estado
        with e.candado:
            e.autorizaciones.append(dict(q))
        redirect_uri = q.get("redirect_uri", "")
        errores = []
        if q.get("client_id") != e.client_id:
            errores.append("client_id")
        if q.get("response_type") != "code":
            errores.append("response_type")
        if not {"openid", "run", "name"} <= set(q.get("scope", "").split()):
            errores.append("scope")
        if not q.get("nonce") or not q.get("state"):
            errores.append("nonce/state")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            errores.append("pkce")
        if errores or not redirect_uri:
            self._json({"error": "invalid_request", "campos": errores}, 400)
            return
        codigo = secrets.token_urlsafe(24)
        with e.candado:
            e.codigos[codigo] = {
                "redirect_uri": redirect_uri,
                "nonce": q["nonce"],
                "challenge": q["code_challenge"],
                "persona": dict(e.persona),
                "modo": e.modo,
            }
        sep = "&" if "?" in redirect_uri else "?"
        self._redirigir(
            f"{redirect_uri}{sep}{urlencode({'code': codigo, 'state': q['state']})}"
        )

    def _token(self):
        e = self.estado
        f = self._formulario()
        client_id, secreto = f.get("client_id"), f.get("client_secret")
        basica = self.headers.get("Authorization", "")
        if basica.startswith("Basic "):
            client_id, _sep, secreto = (
                base64.b64decode(basica[6:]).decode().partition(":")
            )
        with e.candado:
            datos = e.codigos.pop(f.get("code", ""), None)
        motivo = None
        if client_id != e.client_id or not secrets.compare_digest(
            secreto or "", e.client_secret
        ):
            motivo = "invalid_client"
        elif datos is None or f.get("grant_type") != "authorization_code":
            motivo = "invalid_grant"
        elif f.get("redirect_uri") != datos["redirect_uri"]:
            motivo = "invalid_grant"
        elif _s256(f.get("code_verifier", "")) != datos["challenge"]:
            motivo = "invalid_grant"
        with e.candado:
            e.canjes.append({"error": motivo})
        if motivo:
            self._json({"error": motivo}, 401 if motivo == "invalid_client" else 400)
            return
        acceso = secrets.token_urlsafe(24)
        with e.candado:
            e.tokens[acceso] = datos["persona"]
        self._json(
            {
                "access_token": acceso,
                "token_type": "bearer",
                "expires_in": 300,
                "id_token": e.id_token(datos),
            }
        )

    def _userinfo(self):
        cabecera = self.headers.get("Authorization", "")
        persona = self.estado.tokens.get(cabecera.removeprefix("Bearer ").strip())
        if not cabecera.startswith("Bearer ") or persona is None:
            self._json({"error": "invalid_token"}, 401)
            return
        self._json(
            {
                "sub": self.estado.sub(persona["numero"]),
                "RolUnico": {
                    "numero": persona["numero"],
                    "DV": persona["DV"],
                    "tipo": "RUN",
                },
                "name": {
                    "nombres": persona["nombres"],
                    "apellidos": persona["apellidos"],
                },
            }
        )

    def _salir(self, q):
        with self.estado.candado:
            self.estado.salidas.append(dict(q))
        volver = q.get("post_logout_redirect_uri")
        if q.get("client_id") != self.estado.client_id or not volver:
            self._json({"error": "invalid_request"}, 400)
            return
        self._redirigir(volver)

    def _estado(self):
        e = self.estado
        with e.candado:
            self._json(
                {
                    "autorizaciones": e.autorizaciones,
                    "canjes": e.canjes,
                    "salidas": e.salidas,
                }
            )

    def _control(self, datos):
        e = self.estado
        modo = datos.get("modo", "normal")
        if modo not in MODOS:
            self._json({"error": "modo"}, 400)
            return
        with e.candado:
            e.modo = modo
            if "persona" in datos:
                e.persona = datos["persona"]
        self._json({"ok": True})


def servir(client_id: str, client_secret: str) -> None:
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    base = f"http://127.0.0.1:{servidor.server_address[1]}"
    _Manejador.estado = _Estado(base, client_id, client_secret)
    print(base, flush=True)  # noqa: T201
    servidor.serve_forever()


class Proveedor:
    """Inicia el proveedor en un subproceso; ``base`` es su emisor (issuer)."""

    def __init__(self, client_id: str, client_secret: str):
        self.client_id = client_id
        self.client_secret = client_secret
        self.proceso = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())]
            + ["--client-id", client_id, "--client-secret", client_secret],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        linea = self.proceso.stdout.readline().strip()
        if not linea.startswith("http://"):
            self.detener()
            raise RuntimeError(f"El proveedor OIDC no partió: {linea!r}")
        self.base = linea

    def detener(self) -> None:
        self.proceso.terminate()
        self.proceso.wait(10)
        if self.proceso.stdout:
            self.proceso.stdout.close()

    def _pedir(self, ruta: str, datos: dict | None = None) -> dict:
        cuerpo = None if datos is None else json.dumps(datos).encode()
        pedido = urllib.request.Request(f"{self.base}{ruta}", data=cuerpo)
        with urllib.request.urlopen(pedido, timeout=10) as respuesta:
            return json.loads(respuesta.read())

    def preparar(
        self,
        *,
        numero: int,
        dv: str,
        nombres: list[str] | None = None,
        apellidos: list[str] | None = None,
        modo: str = "normal",
    ) -> None:
        """Quién «ingresa» en el próximo /authorize y cómo sale su id_token."""
        persona = {
            "numero": numero,
            "DV": dv,
            "nombres": nombres or ["Valentina"],
            "apellidos": apellidos or ["Rojas", "Prueba"],
        }
        self._pedir("/_control", {"persona": persona, "modo": modo})

    def estado(self) -> dict:
        return self._pedir("/_estado")


if __name__ == "__main__":
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--client-id", required=True)
    argumentos.add_argument("--client-secret", required=True)
    opciones = argumentos.parse_args()
    servir(opciones.client_id, opciones.client_secret)
