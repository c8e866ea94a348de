"""La encargada asigna roles del tenant desde /encargado/roles/ (issue 15).

Solo los roles del tenant; nunca superusuario ni coordinación MITP; un id de otro
tenant o de un superusuario es 404; una funcionaria recibe 403; queda auditado.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from content.models import RegistroAuditoria
from cursos.models import Institucion
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase


class RolesEncargadoTests(CapacitaTestCase):
    def grupos(self, usuario) -> set[str]:
        with self.en_a():
            return set(usuario.groups.values_list("name", flat=True))

    def _consultas_lista(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as consultas:
            self.client_a.get("/encargado/roles/")
        return len(consultas)

    def test_lista_personas_con_sus_roles(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.get("/encargado/roles/")
        self.assertContains(response, "Alice Alfa")
        self.assertContains(response, "Edu Alfa")
        self.assertNotContains(response, "Bob Beta")
        self.assertNotContains(response, "coordinador_mitp")
        # Las consultas no crecen con las personas de la página.
        antes = self._consultas_lista()
        for n in range(5):
            with self.en_a():
                usuario_asegurar(
                    username=f"extra{n}", password=CLAVE, rol=Rol.FUNCIONARIO
                )
        self.assertEqual(self._consultas_lista(), antes)
        # La búsqueda acota la lista.
        response = self.client_a.get("/encargado/roles/", {"q": "alice"})
        self.assertContains(response, "Alice Alfa")
        self.assertNotContains(response, "Edu Alfa")

    def test_da_el_rol_de_editora_con_los_grupos_de_wagtail_y_queda_auditado(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post(
            f"/encargado/roles/{self.alice.pk}/",
            {"roles": ["funcionario", "editor"]},
            follow=True,
        )
        self.assertContains(response, "Roles de Alice Alfa actualizados")
        self.assertEqual(
            self.grupos(self.alice),
            {"funcionario", "editor", "Editors", "Moderators"},
        )
        with self.en_a():
            registro = RegistroAuditoria.objects.get(action="capacita.roles")
            self.assertEqual(registro.user_id, self.olga.pk)
            self.assertEqual(registro.object_id, str(self.alice.pk))
            self.assertEqual(registro.data["usuario_id"], self.alice.pk)
            self.assertEqual(registro.data["despues"], ["editor", "funcionario"])
        # Y se quita igual que se da.
        self.client_a.post(
            f"/encargado/roles/{self.alice.pk}/", {"roles": ["funcionario"]}
        )
        self.assertEqual(self.grupos(self.alice), {"funcionario"})

    def test_no_da_coordinacion_mitp_ni_superusuario(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post(
            f"/encargado/roles/{self.alice.pk}/",
            {"roles": ["coordinador_mitp"], "is_superuser": "on", "is_staff": "on"},
            follow=True,
        )
        self.assertContains(response, "Ese rol no se asigna en este sitio")
        self.assertEqual(self.grupos(self.alice), {"funcionario"})
        with self.en_a():
            self.alice.refresh_from_db()
        self.assertFalse(self.alice.is_superuser)
        self.assertFalse(self.alice.is_staff)

    def test_no_toca_a_un_superusuario_ni_se_quita_su_propio_rol(self):
        with self.en_a():
            raiz = usuario_asegurar(
                username="raiz-alfa", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            raiz.is_superuser = True
            raiz.save(update_fields=["is_superuser"])
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post(
            f"/encargado/roles/{raiz.pk}/", {"roles": ["funcionario"]}
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(self.client_a.get("/encargado/roles/"), "raiz-alfa")
        response = self.client_a.post(
            f"/encargado/roles/{self.olga.pk}/", {"roles": ["funcionario"]}, follow=True
        )
        self.assertContains(response, "No puede quitarse a sí misma/o")
        self.assertIn("encargado", self.grupos(self.olga))

    def test_una_persona_de_otro_tenant_es_404(self):
        with self.en_b():
            lejana = get_user_model().objects.create(
                pk=900_000, username="lejana-beta", is_active=True
            )
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post(
            f"/encargado/roles/{lejana.pk}/", {"roles": ["encargado"]}
        )
        self.assertEqual(response.status_code, 404)
        with self.en_b():
            self.assertFalse(lejana.groups.exists())

    def test_funcionaria_recibe_403_en_roles_y_en_las_pantallas_de_estructura(self):
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get("/encargado/roles/").status_code, 403)
        response = self.client_a.post(
            f"/encargado/roles/{self.alice.pk}/", {"roles": ["encargado"]}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.grupos(self.alice), {"funcionario"})
        for url in (
            "/admin/snippets/cursos/institucion/add/",
            "/admin/snippets/cursos/unidad/",
            "/admin/snippets/cursos/dotacion/add/",
        ):
            response = self.client_a.get(url)
            # Wagtail no deja entrar a su admin a quien no tiene access_admin: lo
            # devuelve a su ingreso en vez de mostrar la pantalla.
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/admin/login/"), url)
        self.client_a.post(
            "/admin/snippets/cursos/institucion/add/", {"nombre": "Intrusa"}
        )
        with self.en_a():
            self.assertFalse(Institucion.objects.filter(nombre="Intrusa").exists())

    def test_la_encargada_ve_las_pantallas_de_estructura(self):
        self.ingresar(self.client_a, "olga")
        for url in (
            "/admin/snippets/cursos/institucion/add/",
            "/admin/snippets/cursos/unidad/add/",
            "/admin/snippets/cursos/dotacion/add/",
        ):
            self.assertEqual(self.client_a.get(url).status_code, 200, url)
