"""Personas: upsert por RUT todo o nada, Idempotency-Key, cuerpos mal formados,
alcance de institución y RUT fuera de los logs."""

from __future__ import annotations

import logging

from content.models import RegistroAuditoria
from cursos.models import Perfil
from tests.api.base import RUT_1, RUT_2, RUT_AJENO, RUT_MALO, ApiTestCase

URL = "/api/v1/personas/"


class PersonasUpsertTests(ApiTestCase):
    def test_crea_y_luego_actualiza_por_rut_sin_duplicar(self):
        lote = {
            "personas": [
                self.persona(
                    "12.345.678-5", nombres="Ana", correo="ana@alfa.cl", sexo="F"
                ),
                self.persona(
                    RUT_2, nombres="Luis", sexo="M", unidad_id=self.unidad_2.pk
                ),
            ]
        }
        r = self.api("post", URL, lote)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["creadas"], 2)
        self.assertEqual(r.json()["actualizadas"], 0)
        lote["personas"][0]["cargo"] = "Subcomisaria"
        r = self.api("post", URL, lote)
        self.assertEqual((r.json()["creadas"], r.json()["actualizadas"]), (0, 2))
        with self.en_a():
            ana = Perfil.objects.select_related("usuario").get(rut=RUT_1)
            self.assertEqual(ana.usuario.first_name, "Ana")
            self.assertEqual(ana.cargo, "Subcomisaria")
            self.assertEqual(ana.institucion_id, self.inst.pk)
            self.assertEqual(ana.sexo, "femenino")
            self.assertEqual(Perfil.objects.filter(rut__in=[RUT_1, RUT_2]).count(), 2)
            registros = RegistroAuditoria.objects.filter(
                action="capacita.api", data__operacion="api_personas_sincronizar"
            )
            self.assertEqual(registros.count(), 2)
            self.assertNotIn(RUT_1, str([(x.label, x.data) for x in registros]))
        ids = {p["id"] for p in r.json()["personas"]}
        self.assertEqual(ids, {ana.usuario_id, r.json()["personas"][1]["id"]})

    def test_misma_idempotency_key_y_mismo_cuerpo_no_vuelve_a_aplicar(self):
        lote = {"personas": [self.persona(RUT_1, nombres="Ana")]}
        clave = {"HTTP_IDEMPOTENCY_KEY": "sync-2026-12-01"}
        primera = self.api("post", URL, lote, **clave)
        self.assertEqual(primera.status_code, 200)
        with self.en_a():
            # Alguien corrige el nombre entre medio: repetir no debe pisarlo.
            perfil = Perfil.objects.get(rut=RUT_1)
            perfil.usuario.first_name = "Ana María"
            perfil.usuario.save()
        segunda = self.api("post", URL, lote, **clave)
        self.assertEqual(segunda.status_code, 200)
        self.assertEqual(segunda.json(), primera.json())
        self.assertEqual(segunda["Idempotent-Replayed"], "true")
        with self.en_a():
            self.assertEqual(
                Perfil.objects.get(rut=RUT_1).usuario.first_name, "Ana María"
            )
            self.assertEqual(
                RegistroAuditoria.objects.filter(
                    data__operacion="api_personas_sincronizar"
                ).count(),
                1,
            )

    def test_misma_idempotency_key_con_otro_cuerpo_es_409(self):
        clave = {"HTTP_IDEMPOTENCY_KEY": "lote-7"}
        self.api("post", URL, {"personas": [self.persona(RUT_1)]}, **clave)
        r = self.api("post", URL, {"personas": [self.persona(RUT_2)]}, **clave)
        datos = self.assertProblema(r, 409)
        self.assertIn("Idempotency-Key", datos["detail"])
        with self.en_a():
            self.assertFalse(Perfil.objects.filter(rut=RUT_2).exists())

    def test_rut_invalido_rechaza_el_lote_entero_sin_repetir_el_rut(self):
        lote = {"personas": [self.persona(RUT_1), self.persona(RUT_MALO)]}
        r = self.api("post", URL, lote)
        datos = self.assertProblema(r, 400, campo="personas[1].rut")
        self.assertNotIn("345.678", r.content.decode())
        self.assertIn("RUT", str(datos["errores"]))
        with self.en_a():
            self.assertFalse(Perfil.objects.filter(rut=RUT_1).exists())

    def test_correo_invalido_se_rechaza(self):
        lote = {"personas": [self.persona(RUT_1, correo="no-es-correo")]}
        r = self.api("post", URL, lote)
        self.assertProblema(r, 400, campo="personas[0].correo")
        with self.en_a():
            self.assertFalse(Perfil.objects.filter(rut=RUT_1).exists())

    def test_json_mal_formado_y_campos_faltantes(self):
        r = self.api("post", URL, crudo='{"personas": [')
        datos = self.assertProblema(r, 400)
        self.assertEqual(datos["detail"], "El cuerpo no es JSON válido.")
        r = self.api("post", URL, {"personas": [{"rut": RUT_1}]})
        self.assertProblema(r, 400, campo="personas[0].nombres")
        r = self.api("post", URL, {"personas": []})
        self.assertProblema(r, 400, campo="personas")
        r = self.api("post", URL, {"personas": [self.persona(RUT_1, sexo="x")]})
        self.assertProblema(r, 400, campo="personas[0].sexo")
        r = self.api("post", URL, {"personas": [self.persona(RUT_1)] * 2})
        self.assertProblema(r, 400, campo="personas[1].rut")

    def test_no_toca_otra_institucion(self):
        # Unidad de otra institución: 422 y nada aplicado.
        lote = {
            "personas": [
                self.persona(RUT_1),
                self.persona(RUT_2, unidad_id=self.unidad_ajena.pk),
            ]
        }
        r = self.api("post", URL, lote)
        self.assertProblema(r, 422, campo="personas[1].unidad_id")
        # Persona de otra institución: no se mueve ni se renombra.
        r = self.api("post", URL, {"personas": [self.persona(RUT_AJENO, nombres="X")]})
        self.assertProblema(r, 422, campo="personas[0].rut")
        with self.en_a():
            self.assertFalse(Perfil.objects.filter(rut=RUT_1).exists())
            ajena = Perfil.objects.select_related("usuario").get(rut=RUT_AJENO)
            self.assertEqual(ajena.institucion_id, self.otra_inst.pk)
            self.assertEqual(ajena.usuario.first_name, "Ana")


class PersonasLecturaTests(ApiTestCase):
    def test_lista_y_busqueda_por_rut_solo_de_la_institucion(self):
        self.api("post", URL, {"personas": [self.persona(RUT_1, nombres="Ana")]})
        r = self.api("get", URL, secreto=self.secreto_ro)
        self.assertEqual(r.status_code, 200)
        ruts = [p["rut"] for p in r.json()["results"]]
        self.assertEqual(ruts, [RUT_1])
        self.assertIn("hasta", r.json())
        # La búsqueda por RUT va en el cuerpo de un POST, y basta solo lectura.
        r = self.api(
            "post",
            "/api/v1/personas/buscar/",
            {"ruts": [RUT_1, RUT_AJENO]},
            secreto=self.secreto_ro,
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual([p["nombres"] for p in r.json()["results"]], ["Ana"])
        # El token de la otra institución no ve a Ana.
        r = self.api(
            "post",
            "/api/v1/personas/buscar/",
            {"ruts": [RUT_1]},
            secreto=self.secreto_otra,
        )
        self.assertEqual(r.json()["results"], [])


class RutFueraDeLosLogsTests(ApiTestCase):
    def test_ningun_rut_llega_a_los_logs(self):
        capturados: list[str] = []

        class Captura(logging.Handler):
            def emit(self, record):
                capturados.append(self.format(record))

        raiz = logging.getLogger()
        handler, nivel = Captura(level=logging.DEBUG), raiz.level
        raiz.addHandler(handler)
        raiz.setLevel(logging.DEBUG)
        try:
            self.api("post", URL, {"personas": [self.persona(RUT_1)]})
            self.api("post", URL, {"personas": [self.persona(RUT_MALO)]})
            self.api("post", URL, {"personas": [self.persona(RUT_AJENO)]})
            self.api("post", "/api/v1/personas/buscar/", {"ruts": [RUT_1]})
            self.api("post", URL, crudo=f'{{"rut": "{RUT_1}"')
            self.api("post", "/scim/v2/Users", {"userName": "x"})
        finally:
            raiz.removeHandler(handler)
            raiz.setLevel(nivel)
        self.assertTrue(capturados)  # las respuestas 4xx sí se registran
        texto = "\n".join(capturados)
        for rut in (RUT_1, RUT_MALO, RUT_AJENO, "12.345.678", "12345678"):
            self.assertNotIn(rut, texto)


class PersonasComoLaNominaTests(ApiTestCase):
    """El lote de la API aplica la misma regla que la nómina xlsx."""

    def test_usuario_grupo_y_region_como_la_nomina(self):
        from django.contrib.auth import get_user_model

        from cursos.models import Unidad

        with self.en_a():
            get_user_model().objects.create(username="ana")
            Unidad.objects.filter(pk=self.unidad.pk).update(region="arica")
        lote = {
            "personas": [
                self.persona(RUT_1, nombres="Ana", correo="ana@alfa.cl"),
                self.persona(RUT_2, nombres="Ana", correo="ana@otra.cl"),
            ]
        }
        r = self.api("post", URL, lote)
        self.assertEqual(r.status_code, 200, r.content)
        with self.en_a():
            perfiles = Perfil.objects.select_related("usuario").filter(
                rut__in=[RUT_1, RUT_2]
            )
            por_rut = {p.rut: p for p in perfiles}
            self.assertEqual(por_rut[RUT_1].usuario.username, "ana2")
            self.assertEqual(por_rut[RUT_2].usuario.username, "ana3")
            for perfil in perfiles:
                self.assertEqual(perfil.region, "arica")
                self.assertFalse(perfil.usuario.has_usable_password())
                self.assertTrue(
                    perfil.usuario.groups.filter(name="funcionario").exists()
                )
        # Sin correo en la actualización: se conserva el que tenía.
        lote["personas"][0]["correo"] = ""
        self.api("post", URL, lote)
        with self.en_a():
            self.assertEqual(Perfil.objects.get(rut=RUT_1).usuario.email, "ana@alfa.cl")
