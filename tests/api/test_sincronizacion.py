"""La sincronización de un sistema de RR. HH. de punta a punta, como la cuenta
docs/api.md: token creado en pantalla, unidades (lectura y alta), nómina idempotente,
dotación, inscripción por unidad, avance y certificados incrementales
(``updated_since``) y, por SCIM, alta, cambio de nombre y baja de una persona. Con
verificación CSRF activa, como un cliente real que no tiene sesión. Lo único que no
pasa por la API es lo que hace la aprendiz (estudiar y aprobar el curso)."""

from __future__ import annotations

import html
import json
import re

from django.test import Client

from cursos.models import Perfil
from cursos.services import leccion_completar
from tests.api.base import RUT_1, RUT_2, RUT_3, ApiTestCase
from tests.base import DOMINIO_A
from tests.cursos.factories import curso_completar, curso_por_clave, lecciones_de

EMPRESA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class SincronizacionRRHHTests(ApiTestCase):
    def test_sincronizacion_completa_por_api_y_scim(self):
        # 1. La encargada crea el token en su pantalla y copia el secreto.
        self.ingresar(self.client_a, "olga")
        r = self.client_a.post(
            "/encargado/api/",
            {"nombre": "RR. HH.", "institucion": self.inst.pk, "alcance": "escritura"},
        )
        secreto = html.unescape(
            re.search(r'id="secreto"[^>]*value="([^"]+)"', r.content.decode())[1]
        )
        hr = Client(HTTP_HOST=DOMINIO_A, enforce_csrf_checks=True)
        cabecera = {"HTTP_AUTHORIZATION": f"Bearer {secreto}"}

        def post(ruta, datos, **extra):
            return hr.post(
                ruta, json.dumps(datos), "application/json", **cabecera, **extra
            )

        # 2. Unidades: lee las que hay y da de alta la que falta en su sistema.
        unidades = hr.get("/api/v1/unidades/", **cabecera).json()["results"]
        norte = next(u["id"] for u in unidades if u["nombre"] == "Brigada Norte")
        r = post("/api/v1/unidades/", {"nombre": "Brigada Este", "region": "maule"})
        self.assertEqual(r.status_code, 201, r.content)
        este = r.json()["id"]
        unidades = hr.get("/api/v1/unidades/", **cabecera).json()["results"]
        self.assertIn("Brigada Este", [u["nombre"] for u in unidades])
        # 3. Nómina, idempotente.
        lote = {
            "personas": [
                {"rut": r, "nombres": n, "apellidos": "RR. HH.", "unidad_id": norte}
                for r, n in [(RUT_1, "Ana"), (RUT_2, "Luis")]
            ]
        }
        r = post("/api/v1/personas/", lote, HTTP_IDEMPOTENCY_KEY="nomina-1")
        self.assertEqual(r.json()["creadas"], 2, r.content)
        r = post("/api/v1/personas/", lote, HTTP_IDEMPOTENCY_KEY="nomina-1")
        self.assertEqual(r.json()["creadas"], 2)
        self.assertEqual(r["Idempotent-Replayed"], "true")
        # 4. Dotación.
        r = post(
            "/api/v1/dotacion/",
            {
                "dotaciones": [
                    {"unidad_id": norte, "anio": 2026, "total": 2},
                    {"unidad_id": este, "anio": 2026, "total": 5},
                ]
            },
        )
        self.assertEqual(r.status_code, 200, r.content)
        dotacion = hr.get("/api/v1/dotacion/", {"anio": 2026}, **cabecera).json()
        self.assertEqual(
            {d["unidad_id"]: d["total"] for d in dotacion["results"]},
            {norte: 2, este: 5},
        )
        # 5. Inscripción por unidad.
        cursos = hr.get("/api/v1/cursos/", {"page_size": 500}, **cabecera).json()
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
        self.assertIn(curso.pk, [c["id"] for c in cursos["results"]])
        r = post(
            "/api/v1/inscripciones/unidad/", {"curso_id": curso.pk, "unidad_id": norte}
        )
        self.assertEqual(r.json()["creadas"], 2, r.content)
        # 6. Avance: todo la primera vez, y luego solo lo cambiado desde «hasta».
        primera = hr.get("/api/v1/avance/", **cabecera).json()
        self.assertEqual(primera["count"], 2)
        with self.en_a():
            ana = Perfil.objects.get(rut=RUT_1).usuario
            inscripcion = ana.inscripciones.get(curso=curso)
            leccion_completar(inscripcion=inscripcion, leccion=lecciones_de(curso)[0])
        r = hr.get(
            "/api/v1/avance/", {"updated_since": primera["hasta"]}, **cabecera
        ).json()
        self.assertEqual([f["rut"] for f in r["results"]], [RUT_1])
        self.assertEqual(r["results"][0]["estado"], "en_curso")
        # 6b. Certificados: Ana aprueba el curso; el certificado aparece una vez.
        sin_certificados = hr.get("/api/v1/certificados/", **cabecera).json()
        self.assertEqual(sin_certificados["count"], 0)
        with self.en_a(), self.captureOnCommitCallbacks(execute=True):
            curso_completar(ana, curso)
        r = hr.get(
            "/api/v1/certificados/",
            {"updated_since": sin_certificados["hasta"]},
            **cabecera,
        ).json()
        self.assertEqual([c["persona_id"] for c in r["results"]], [ana.pk])
        self.assertEqual(r["results"][0]["estado"], "vigente")
        r = hr.get(
            "/api/v1/certificados/", {"updated_since": r["hasta"]}, **cabecera
        ).json()
        self.assertEqual(r["count"], 0)
        # 7. El proveedor de identidad da de alta a una persona nueva por SCIM.
        r = hr.post(
            "/scim/v2/Users",
            json.dumps(
                {
                    "userName": "carla.rrhh",
                    "name": {"givenName": "Carla", "familyName": "RR. HH."},
                    "emails": [{"value": "carla@alfa.cl", "primary": True}],
                    EMPRESA: {"employeeNumber": RUT_3, "department": "Brigada Norte"},
                }
            ),
            "application/scim+json",
            **cabecera,
        )
        self.assertEqual(r.status_code, 201, r.content)
        carla = f"/scim/v2/Users/{r.json()['id']}"
        self.assertNotIn(RUT_3, carla)
        personas = hr.get("/api/v1/personas/", **cabecera).json()["results"]
        self.assertEqual(
            sorted(p["nombres"] for p in personas), ["Ana", "Carla", "Luis"]
        )

        def scim_patch(valor):
            return hr.patch(
                carla,
                json.dumps(
                    {
                        "schemas": [PATCH],
                        "Operations": [{"op": "replace", "value": valor}],
                    }
                ),
                "application/scim+json",
                **cabecera,
            )

        # 8. Cambia su nombre y luego la da de baja: se desactiva, no se borra.
        r = scim_patch({"name": {"givenName": "Carla Andrea", "familyName": "Soto"}})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["name"]["givenName"], "Carla Andrea")
        r = scim_patch({"active": False})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertFalse(r.json()["active"])
        personas = hr.get("/api/v1/personas/", **cabecera).json()["results"]
        activos = {p["nombres"]: p["activo"] for p in personas}
        self.assertEqual(activos, {"Ana": True, "Carla Andrea": False, "Luis": True})
