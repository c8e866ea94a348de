"""Tras anonimizar, un pg_dump del schema del tenant y del public no trae el nombre,
el RUT (en ningún formato), el correo ni la clave seudónima antigua de la persona.

pg_dump es otro proceso: solo ve datos confirmados. Por eso esta prueba no usa la
transacción que se revierte: crea su propio tenant con commit y lo borra al final.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.db import connection
from django.test import Client, TransactionTestCase
from django_tenants.utils import tenant_context

from certificados.models import Certificado
from indicadores.hechos import persona_clave
from indicadores.models import Hecho
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import tenant_crear, tenant_eliminar, usuario_asegurar
from tests.base import CLAVE
from tests.content.h5p_paquetes import MediaTemporalMixin
from tests.cursos.factories import UnidadFactory
from verificacion.models import RegistroCertificado

from .datos import APELLIDOS, CORREO, NOMBRES, RUT, persona_poblar

SCHEMA = "privdump"
DOMINIO = "privdump.localhost"
USERNAME = "zenobia.qu"


def _pg_dump() -> str:
    for candidato in (
        "/usr/bin/pg_dump",
        *sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump")),
    ):
        if Path(candidato).exists():
            return str(candidato)
    return shutil.which("pg_dump") or "pg_dump"


def volcado() -> str:
    datos = connection.settings_dict
    comando = [_pg_dump(), "--no-owner", "-n", SCHEMA, "-n", "public"]
    if datos.get("HOST"):
        comando += ["-h", datos["HOST"]]
    if datos.get("PORT"):
        comando += ["-p", str(datos["PORT"])]
    if datos.get("USER"):
        comando += ["-U", datos["USER"]]
    comando.append(datos["NAME"])
    entorno = {"PGPASSWORD": datos.get("PASSWORD") or ""}
    salida = subprocess.run(
        comando, capture_output=True, check=True, env=entorno, timeout=120
    )
    return salida.stdout.decode("utf-8")


def formatos_rut(rut: str) -> list[str]:
    cuerpo, _guion, dv = rut.partition("-")
    con_puntos = f"{int(cuerpo):,}".replace(",", ".")
    return [rut, f"{con_puntos}-{dv}", f"{cuerpo}{dv}", cuerpo]


class VolcadoSinRastroTests(MediaTemporalMixin, TransactionTestCase):
    databases = {"default"}

    def _fixture_teardown(self):
        # TransactionTestCase vaciaría el schema public (con los tenants de la
        # sesión); aquí se borra solo lo que esta prueba creó.
        pass

    def setUp(self):
        super().setUp()
        connection.set_schema_to_public()
        self.addCleanup(self._borrar)
        self.tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Tenant volcado",
            grupo=Tenant.Grupo.POLICIAS,
            dominio=DOMINIO,
        )

    def _borrar(self):
        connection.set_schema_to_public()
        tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
        if tenant is not None:
            with tenant_context(tenant):
                codigos = list(Certificado.objects.values_list("codigo", flat=True))
            connection.set_schema_to_public()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            tenant_eliminar(schema_name=SCHEMA)

    def test_no_queda_rastro_de_la_persona(self):
        with tenant_context(self.tenant):
            encargada = usuario_asegurar(
                username="encargada-volcado", password=CLAVE, rol=Rol.ENCARGADO
            )
            persona = usuario_asegurar(
                username=USERNAME, password=CLAVE, rol=Rol.FUNCIONARIO
            )
            unidad = UnidadFactory(nombre="Unidad volcado")
            persona_poblar(persona, encargada=encargada, unidad=unidad)
            clave = persona_clave(rut=RUT, schema_name=SCHEMA, usuario_id=persona.pk)
            codigo = Certificado.objects.get(usuario=persona).codigo
        connection.set_schema_to_public()
        self.assertEqual(Hecho.objects.filter(persona=clave).count(), 2)
        antes = volcado()
        for dato in (NOMBRES, APELLIDOS, CORREO, RUT, clave):
            self.assertIn(dato, antes)

        cliente = Client(HTTP_HOST=DOMINIO)
        r = cliente.post("/ingresar/", {"username": USERNAME, "password": CLAVE})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(cliente.get("/mis-datos/descargar.json").status_code, 200)
        cliente.post(
            "/mis-datos/",
            {
                "campo": "last_name",
                "valor": f"{APELLIDOS} Soto",
                "motivo": f"Soy {NOMBRES} {APELLIDOS} y falta mi segundo apellido",
            },
        )
        encargada_cliente = Client(HTTP_HOST=DOMINIO)
        encargada_cliente.post(
            "/ingresar/", {"username": "encargada-volcado", "password": CLAVE}
        )
        detalle = f"/encargado/privacidad/personas/{persona.pk}/"
        self.assertContains(encargada_cliente.get(detalle), APELLIDOS)
        r = encargada_cliente.post(
            f"{detalle}anonimizar/",
            {"motivo": f"Supresión pedida por {NOMBRES} {APELLIDOS} ({CORREO})"},
        )
        self.assertEqual(r.status_code, 302)

        despues = volcado().lower()
        for dato in [NOMBRES, APELLIDOS, CORREO, USERNAME, clave, *formatos_rut(RUT)]:
            self.assertNotIn(dato.lower(), despues, dato)
        self.assertIn(codigo, despues.upper())
        self.assertIn("persona anonimizada", despues)
