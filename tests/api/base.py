"""Base de las pruebas de la API: dos instituciones en alfa (una con tokens) y un
token en beta. Los tokens se crean con el servicio de la pantalla del encargado
(test_tokens.py recorre la pantalla misma)."""

from __future__ import annotations

import json

from django_tenants.utils import tenant_context

from cursos.api.models import TokenAPI
from cursos.api.tokens import token_crear
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    InstitucionFactory,
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    rut_valido,
)

RUT_1 = rut_valido(12_345_678)
RUT_2 = rut_valido(11_111_111)
RUT_3 = rut_valido(22_222_222)
RUT_AJENO = rut_valido(13_131_313)
RUT_MALO = "12.345.678-9"  # dígito verificador incorrecto


class ApiTestCase(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tenant_context(cls.tenant_a):
            cls.inst = InstitucionFactory(nombre="Policía de Alfa", sigla="PDA")
            cls.otra_inst = InstitucionFactory(nombre="Aduana de Alfa", sigla="ADA")
            cls.unidad = UnidadFactory(institucion=cls.inst, nombre="Brigada Norte")
            cls.unidad_2 = UnidadFactory(institucion=cls.inst, nombre="Brigada Sur")
            cls.unidad_ajena = UnidadFactory(
                institucion=cls.otra_inst, nombre="Aduana Chacalluta"
            )
            cls.ajena = PerfilFactory(
                usuario=UsuarioFactory(first_name="Ana", last_name="Ajena"),
                unidad=cls.unidad_ajena,
                rut=RUT_AJENO,
            )
            cls.token_rw, cls.secreto_rw = token_crear(
                nombre="RR. HH.",
                institucion=cls.inst,
                alcance=TokenAPI.Alcance.ESCRITURA,
                creado_por=cls.olga,
            )
            cls.token_ro, cls.secreto_ro = token_crear(
                nombre="Tablero",
                institucion=cls.inst,
                alcance=TokenAPI.Alcance.LECTURA,
                creado_por=cls.olga,
            )
            cls.token_otra, cls.secreto_otra = token_crear(
                nombre="Aduana RR. HH.",
                institucion=cls.otra_inst,
                alcance=TokenAPI.Alcance.ESCRITURA,
                creado_por=cls.olga,
            )
        with tenant_context(cls.tenant_b):
            inst_b = InstitucionFactory(nombre="Policía de Beta")
            cls.token_beta, cls.secreto_beta = token_crear(
                nombre="Beta",
                institucion=inst_b,
                alcance=TokenAPI.Alcance.ESCRITURA,
                creado_por=cls.bob,
            )

    def api(
        self,
        metodo: str,
        ruta: str,
        datos=None,
        *,
        secreto=None,
        client=None,
        crudo: str | None = None,
        **extra,
    ):
        """Una petición JSON con el token (de escritura, por omisión)."""
        client = client or self.client_a
        secreto = self.secreto_rw if secreto is None else secreto
        if secreto:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {secreto}"
        if metodo == "get":
            return client.get(ruta, datos or {}, **extra)
        cuerpo = crudo if crudo is not None else json.dumps(datos or {})
        return getattr(client, metodo)(
            ruta, cuerpo, content_type="application/json", **extra
        )

    def persona(self, rut: str, **campos) -> dict:
        return {
            "rut": rut,
            "nombres": campos.pop("nombres", "Nombre"),
            "apellidos": campos.pop("apellidos", "Apellido"),
            "correo": campos.pop("correo", ""),
            "sexo": campos.pop("sexo", "F"),
            "unidad_id": campos.pop("unidad_id", self.unidad.pk),
            "cargo": campos.pop("cargo", ""),
            **campos,
        }

    def assertProblema(self, response, status: int, campo: str | None = None):
        self.assertEqual(response.status_code, status, response.content[:500])
        self.assertEqual(response["Content-Type"], "application/problem+json")
        datos = response.json()
        for clave in ("type", "title", "status", "detail", "instance"):
            self.assertIn(clave, datos)
        self.assertEqual(datos["status"], status)
        if campo is not None:
            campos = [e["campo"] for e in datos.get("errores", [])]
            self.assertIn(campo, campos, datos)
        return datos
