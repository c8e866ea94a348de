"""Las cachés que ahorran consultas por petición nunca sirven datos viejos ni ajenos."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from wagtail.models import PageViewRestriction

from content.models import HomePage
from tenants.cache_local import CLAVE_GENERACION
from tenants.middleware import clave_tenant
from tenants.models import Domain, Tenant
from tests.base import DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import curso_por_clave


def _id_en_tabla(app_label: str, model: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = %s AND model = %s",
            [app_label, model],
        )
        return cursor.fetchone()[0]


class TenantPorHostTests(CapacitaTestCase):
    def test_un_dominio_renombrado_deja_de_servir_y_el_nuevo_sirve(self):
        self.assertEqual(self.client_a.get("/ingresar/").status_code, 200)
        dominio = Domain.objects.get(domain=DOMINIO_A)
        dominio.domain = "alfa-nuevo.localhost"
        dominio.save()
        self.assertEqual(self.client_a.get("/ingresar/").status_code, 404)
        nuevo = Client(HTTP_HOST="alfa-nuevo.localhost")
        self.assertContains(nuevo.get("/ingresar/"), "Tenant alfa")

    def test_un_dominio_borrado_deja_de_servir_de_inmediato(self):
        self.assertEqual(self.client_a.get("/ingresar/").status_code, 200)
        Domain.objects.filter(domain=DOMINIO_A).delete()
        self.assertEqual(self.client_a.get("/ingresar/").status_code, 404)


class ContentTypePorSchemaTests(CapacitaTestCase):
    def test_cada_schema_usa_sus_propios_ids_aunque_se_alternen(self):
        User = get_user_model()
        # En la plantilla clonada y en public los ContentType se crearon en otro orden.
        publico = _id_en_tabla("auth", "user")
        with self.en_a():
            alfa = _id_en_tabla("wagtailcore", "page")
        for _vuelta in range(2):
            connection.set_schema_to_public()
            self.assertEqual(ContentType.objects.get_for_model(User).id, publico)
            with self.en_a():
                self.assertEqual(
                    ContentType.objects.get_for_model(
                        PageViewRestriction.page.field.related_model
                    ).id,
                    alfa,
                )
                self.assertEqual(
                    ContentType.objects.get_for_model(User).id,
                    _id_en_tabla("auth", "user"),
                )


class RestriccionesDeVistaTests(CapacitaTestCase):
    def test_una_restriccion_nueva_rige_aunque_la_pagina_ya_se_haya_servido(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            url = curso.url
        self.assertEqual(self.client_a.get(url).status_code, 200)
        with self.en_a():
            PageViewRestriction.objects.create(
                page=curso, restriction_type=PageViewRestriction.LOGIN
            )
        respuesta = self.client_a.get(url)
        self.assertEqual(respuesta.status_code, 302)
        self.assertIn("/ingresar/", respuesta["Location"])
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get(url).status_code, 200)


class CopiaEnMemoriaTests(CapacitaTestCase):
    """Cada proceso guarda el tenant y el Site en memoria y los revisa contra la
    generación en Redis una vez por petición (tenants/cache_local.py)."""

    def test_el_cambio_de_otro_proceso_se_ve_en_la_peticion_siguiente(self):
        self.assertContains(self.client_a.get("/ingresar/"), "Tenant alfa")
        # Otro nodo renombra el tenant: su señal borra la copia en Redis y escribe
        # una generación nueva; la memoria de este proceso no se toca.
        Tenant.objects.filter(schema_name="alfa").update(nombre="Alfa renombrado")
        connection.set_schema_to_public()
        cache.delete(clave_tenant(DOMINIO_A))
        cache.set(CLAVE_GENERACION, "generacion-de-otro-nodo", None)
        respuesta = self.client_a.get("/ingresar/")
        self.assertContains(respuesta, "Alfa renombrado")
        self.assertNotContains(respuesta, "Tenant alfa")

    def test_la_portada_editada_se_ve_al_instante(self):
        self.assertEqual(self.client_a.get("/").status_code, 200)
        with self.en_a():
            portada = HomePage.objects.get()
            portada.introduccion = "<p>Bienvenida renovada a la capacitación.</p>"
            portada.save_revision().publish()
        self.assertContains(
            self.client_a.get("/"), "Bienvenida renovada a la capacitación."
        )
        self.assertContains(
            self.client_a.get("/"), "Bienvenida renovada a la capacitación."
        )

    def test_las_paginas_siguen_sirviendo_si_la_portada_cambia_de_slug(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            url = curso.url
        self.assertEqual(self.client_a.get(url).status_code, 200)
        with self.en_a():
            portada = HomePage.objects.get()
            portada.slug = "portada-nueva"
            portada.save_revision().publish()
        respuesta = self.client_a.get(url)
        self.assertEqual(respuesta.status_code, 200)
        self.assertContains(respuesta, curso.title)
