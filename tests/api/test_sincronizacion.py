"""La sincronización de un sistema de RR. HH. de punta a punta, como la cuenta
docs/api.md: token creado en pantalla, unidades, nómina, dotación, inscripción por
unidad, avance incremental y alta por SCIM. Con verificación CSRF activa, como un
cliente real que no tiene sesión."""

from __future__ import annotations

import html
import json
import re

from django.test import Client

from cursos.models import Perfil
from cursos.services import leccion_completar
from tests.api.base import RUT_1, RUT_2, RUT_3, ApiTestCase
from tests.base import DOMINIO_A
from tests.cursos.factories import curso_por_clave, lecciones_de

EMPRESA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


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

        # 2. Unidades.
        unidades = hr.get("/api/v1/unidades/", **cabecera).json()["results"]
        norte = next(u["id"] for u in unidades if u["nombre"] == "Brigada Norte")
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
            {"dotaciones": [{"unidad_id": norte, "anio": 2026, "total": 2}]},
        )
        self.assertEqual(r.status_code, 200, r.content)
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
        personas = hr.get("/api/v1/personas/", **cabecera).json()["results"]
        self.assertEqual(
            sorted(p["nombres"] for p in personas), ["Ana", "Carla", "Luis"]
        )
