"""SCIM 2.0 /scim/v2/Users: mismos tokens (de escritura), misma institución."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model

from content.models import RegistroAuditoria
from cursos.models import Perfil
from tests.api.base import RUT_1, RUT_AJENO, RUT_MALO, ApiTestCase

EMPRESA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM = "application/scim+json"


class ScimTests(ApiTestCase):
    def scim(self, metodo, ruta, datos=None, *, secreto=None, client=None):
        client = client or self.client_a
        secreto = self.secreto_rw if secreto is None else secreto
        extra = {"HTTP_AUTHORIZATION": f"Bearer {secreto}"} if secreto else {}
        if metodo in ("get", "delete"):
            return getattr(client, metodo)(ruta, **extra)
        return getattr(client, metodo)(
            ruta, json.dumps(datos), content_type=SCIM, **extra
        )

    def usuario(self, rut=RUT_1, **campos):
        return {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EMPRESA],
            "userName": campos.get("userName", "ana.perez"),
            "name": {"givenName": "Ana", "familyName": "Pérez"},
            "emails": [{"value": campos.get("correo", "ana@alfa.cl"), "primary": True}],
            "active": True,
            EMPRESA: {"employeeNumber": rut, "department": "Brigada Sur"},
        }

    def test_crea_lee_desactiva_en_la_institucion_del_token(self):
        r = self.scim("post", "/scim/v2/Users", self.usuario())
        self.assertEqual(r.status_code, 201, r.content)
        creado = r.json()
        self.assertEqual(creado[EMPRESA]["employeeNumber"], RUT_1)
        self.assertEqual(creado[EMPRESA]["department"], "Brigada Sur")
        # La URL del recurso lleva el id interno, nunca el RUT.
        self.assertNotIn(RUT_1, r["Location"])
        with self.en_a():
            perfil = Perfil.objects.select_related("usuario").get(rut=RUT_1)
            self.assertEqual(perfil.institucion_id, self.inst.pk)
            self.assertEqual(perfil.unidad_id, self.unidad_2.pk)
            self.assertEqual(str(perfil.usuario.pk), creado["id"])
        ruta = f"/scim/v2/Users/{creado['id']}"
        r = self.scim("get", "/scim/v2/Users")
        self.assertEqual([u["userName"] for u in r.json()["Resources"]], ["ana.perez"])
        r = self.scim(
            "patch",
            ruta,
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": "False"}}],
            },
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertFalse(r.json()["active"])
        self.scim(
            "patch",
            ruta,
            {"Operations": [{"op": "replace", "value": {"active": True}}]},
        )
        r = self.scim("delete", ruta)
        self.assertEqual(r.status_code, 204)
        with self.en_a():
            usuario = get_user_model().objects.get(pk=int(creado["id"]))
            self.assertFalse(usuario.is_active)  # se desactiva, no se borra
            acciones = set(
                RegistroAuditoria.objects.filter(
                    action="capacita.api", data__operacion__startswith="scim_"
                ).values_list("data__operacion", flat=True)
            )
            self.assertEqual(
                acciones,
                {
                    "scim_usuario_crear",
                    "scim_usuario_actualizar",
                    "scim_usuario_desactivar",
                },
            )

    def test_patch_de_nombre_con_y_sin_path(self):
        """Entra ID manda «path»; otros proveedores mandan el atributo complejo
        entero sin «path» (RFC 7644 §3.5.2.3), que antes respondía 500."""
        creado = self.scim("post", "/scim/v2/Users", self.usuario()).json()
        ruta = f"/scim/v2/Users/{creado['id']}"

        def patch(operacion):
            return self.scim(
                "patch",
                ruta,
                {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "replace", **operacion}],
                },
            )

        r = patch({"value": {"name": {"givenName": "Ana María"}}})
        self.assertEqual(r.status_code, 200, r.content)
        r = patch({"path": "name.familyName", "value": "Pérez Soto"})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(
            (r.json()["name"]["givenName"], r.json()["name"]["familyName"]),
            ("Ana María", "Pérez Soto"),
        )
        with self.en_a():
            usuario = get_user_model().objects.get(pk=int(creado["id"]))
            self.assertEqual(usuario.get_full_name(), "Ana María Pérez Soto")
            # Cambiar el nombre no toca el perfil: sigue en su unidad.
            self.assertEqual(usuario.perfil.unidad_id, self.unidad_2.pk)
        # Las dos formas en una sola solicitud, como en docs/api.md: la baja también.
        r = self.scim(
            "patch",
            ruta,
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {"op": "replace", "value": {"name": {"givenName": "Ana"}}},
                    {"op": "replace", "path": "active", "value": False},
                ],
            },
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["name"]["givenName"], "Ana")
        self.assertFalse(r.json()["active"])
        # Un atributo que no se administra por SCIM se rechaza sin error 500.
        r = patch({"value": {"nickName": "Anita"}})
        self.assertEqual(r.status_code, 501, r.content)

    def test_no_ve_ni_toca_personas_de_otra_institucion(self):
        ajena = f"/scim/v2/Users/{self.ajena.usuario_id}"
        self.assertEqual(self.scim("get", ajena).status_code, 404)
        self.assertEqual(self.scim("delete", ajena).status_code, 404)
        self.assertEqual(self.scim("get", "/scim/v2/Users/abc").status_code, 404)
        r = self.scim(
            "get",
            '/scim/v2/Users?filter=userName eq "' + self.ajena.usuario.username + '"',
        )
        self.assertEqual(r.json()["totalResults"], 0)
        with self.en_a():
            self.assertTrue(
                get_user_model().objects.get(pk=self.ajena.usuario_id).is_active
            )
        # Crear con el RUT de una persona ya registrada: conflicto, sin moverla.
        r = self.scim("post", "/scim/v2/Users", self.usuario(rut=RUT_AJENO))
        self.assertEqual(r.status_code, 409, r.content)
        self.assertNotIn(RUT_AJENO, r.content.decode())
        with self.en_a():
            self.assertEqual(
                Perfil.objects.get(rut=RUT_AJENO).institucion_id, self.otra_inst.pk
            )
            self.assertFalse(
                get_user_model().objects.filter(username="ana.perez").exists()
            )

    def test_tokens_sin_permiso(self):
        r = self.scim("get", "/scim/v2/Users", secreto="")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r["Content-Type"], SCIM)
        r = self.scim("get", "/scim/v2/Users", secreto=self.secreto_ro)
        self.assertEqual(r.status_code, 403)
        r = self.scim("get", "/scim/v2/Users", client=self.client_b)
        self.assertEqual(r.status_code, 401)

    def test_cuerpos_invalidos(self):
        r = self.scim("post", "/scim/v2/Users", self.usuario(rut=RUT_MALO))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertNotIn("345.678", r.content.decode())
        r = self.scim("post", "/scim/v2/Users", self.usuario(correo="no-es-correo"))
        self.assertEqual(r.status_code, 400)
        r = self.client_a.post(
            "/scim/v2/Users",
            "{malo",
            content_type=SCIM,
            HTTP_AUTHORIZATION=f"Bearer {self.secreto_rw}",
        )
        self.assertEqual(r.status_code, 400)
        sin_rut = self.usuario()
        del sin_rut[EMPRESA]
        r = self.scim("post", "/scim/v2/Users", sin_rut)
        self.assertEqual(r.status_code, 400)
        self.assertIn("employeeNumber", r.json()["detail"])
        self.scim("post", "/scim/v2/Users", self.usuario())
        r = self.scim("post", "/scim/v2/Users", self.usuario(rut="11111111-1"))
        self.assertEqual(r.status_code, 409)  # userName repetido
        with self.en_a():
            self.assertEqual(Perfil.objects.filter(institucion=self.inst).count(), 1)

    def test_metadatos_del_proveedor(self):
        r = self.scim("get", "/scim/v2/ServiceProviderConfig")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json()["authenticationSchemes"][0]["type"], "oauthbearertoken"
        )
        r = self.scim("get", "/scim/v2/ResourceTypes")
        self.assertEqual([x["id"] for x in r.json()["Resources"]], ["User"])
        self.assertEqual(self.scim("get", "/scim/v2/Schemas").status_code, 200)

    def test_lista_paginada_con_consultas_fijas(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.cursos.factories import PerfilFactory, UsuarioFactory

        with self.en_a():
            for n in range(6):
                PerfilFactory(
                    usuario=UsuarioFactory(username=f"persona{n}"), unidad=self.unidad
                )
        r = self.scim("get", "/scim/v2/Users?startIndex=2&count=3")
        datos = r.json()
        self.assertEqual(datos["totalResults"], 6)
        self.assertEqual(datos["itemsPerPage"], 3)
        self.assertEqual(datos["Resources"][0]["userName"], "persona1")
        self.assertEqual(datos["Resources"][0][EMPRESA]["department"], "Brigada Norte")
        with CaptureQueriesContext(connection) as pocas:
            self.scim("get", "/scim/v2/Users?count=2")
        with CaptureQueriesContext(connection) as muchas:
            self.scim("get", "/scim/v2/Users?count=6")
        self.assertEqual(len(pocas), len(muchas))
