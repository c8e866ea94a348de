"""Cada patrón de URL del tenant, llenado con ids de alfa, pedido desde beta.

Recorre config.urls_tenant completo (también el admin de Wagtail, documentos e
imágenes). Se crean objetos en alfa y un superusuario de beta pide cada URL con los
ids, pk, códigos y tokens de alfa, por GET y por POST: nunca debe ver datos de alfa ni
tener éxito (404, 403 o 405; 302 solo hacia el ingreso).

Si se agrega un patrón con un parámetro que ``VALORES`` no sabe llenar, la prueba
falla y lo nombra: así cada entrada nueva queda cubierta.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    Page,
    PageViewRestriction,
    Site,
    UploadedFile,
    Workflow,
    WorkflowTask,
)

from certificados.models import (
    Certificado,
    ConfiguracionCertificados,
    CursoActualizacion,
    LoteZip,
)
from content.h5p import paquete_crear
from cursos.api.models import TokenAPI
from cursos.api.tokens import token_crear
from cursos.models import CursoPage, Perfil, RutaPage
from cursos.services.nomina import dotacion_guardar
from evaluaciones.services import intento_iniciar
from indicadores.models import Exportacion
from privacidad.services import rectificacion_solicitar
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import (
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    jornada_crear,
    leccion_agregar,
    rut_valido,
)
from tests.evaluaciones.factories import (
    CategoriaFactory,
    banco_crear,
    evaluacion_crear,
)

SECRETO = "secreto-de-alfa"
RUT_A = rut_valido(13_579_246)


@dataclass
class Patron:
    nombre: str  # con espacios de nombres: "certificados:pdf"
    ruta: str
    kwargs: list[str]
    posicionales: int


def patrones(resolver=None, ruta="", espacio="") -> Iterator[Patron]:
    resolver = resolver or get_resolver("config.urls_tenant")
    for p in resolver.url_patterns:
        regex = p.pattern.regex
        if isinstance(p, URLResolver):
            sub = ":".join(filter(None, [espacio, p.namespace]))
            yield from patrones(p, ruta + str(p.pattern), sub)
            continue
        assert isinstance(p, URLPattern)
        nombres = list(regex.groupindex)
        prefijo = [
            n for n in _kwargs_de_ruta(ruta) if n not in nombres
        ]  # los de los include
        yield Patron(
            nombre=":".join(filter(None, [espacio, p.name or ""])),
            ruta=ruta + str(p.pattern),
            kwargs=prefijo + nombres,
            posicionales=regex.groups - len(regex.groupindex),
        )


def _kwargs_de_ruta(ruta: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", ruta)


# Qué objeto de alfa lleva cada ``pk`` genérico, según el espacio de nombres.
PK_POR_ESPACIO = {
    "wagtailadmin_api:pages": "leccion",
    "wagtailadmin_api:documents": "documento",
    "wagtailadmin_api:images": "imagen",
    "wagtailadmin_pages": "leccion",
    "wagtailadmin_collections": "coleccion",
    "wagtailadmin_workflows": "flujo",
    "wagtailsnippets_content_paqueteh5p": "paquete",
    "wagtailsnippetchoosers_content_paqueteh5p": "paquete",
    "wagtailsnippets_evaluaciones_evaluacion": "evaluacion",
    "wagtailsnippetchoosers_evaluaciones_evaluacion": "evaluacion",
    "wagtailsnippets_evaluaciones_pregunta": "pregunta",
    "wagtailsnippetchoosers_evaluaciones_pregunta": "pregunta",
    "wagtailsnippets_evaluaciones_categoria": "categoria",
    "wagtailsnippetchoosers_evaluaciones_categoria": "categoria",
    "wagtailsnippets_certificados_cursoactualizacion": "actualizacion",
    "wagtailsnippetchoosers_certificados_cursoactualizacion": "actualizacion",
    "wagtailsnippets_cursos_institucion": "institucion",
    "wagtailsnippetchoosers_cursos_institucion": "institucion",
    "wagtailsnippets_cursos_unidad": "unidad",
    "wagtailsnippetchoosers_cursos_unidad": "unidad",
    "wagtailsnippets_cursos_dotacion": "dotacion",
    "wagtailsnippetchoosers_cursos_dotacion": "dotacion",
    "wagtailsites": "sitio",
    "wagtailusers_users": "usuario",
    "wagtailusers_groups": "grupo",
    "wagtaildocs_chooser": "documento",
    "wagtailimages_chooser": "imagen",
    "wagtailsettings": "configuracion",
    "certificados": "certificado",
}

# Parámetro → objeto de alfa (atributo de ``ObjetosAlfa``) o valor fijo.
VALORES: dict[str, Callable[[ObjetosAlfa], object]] = {}


# Vistas propias
VALORES["curso_id"] = lambda o: o.curso.pk
VALORES["leccion_id"] = lambda o: o.leccion.pk
VALORES["jornada_id"] = lambda o: o.jornada.pk
VALORES["token"] = lambda o: o.jornada.token
VALORES["evaluacion_id"] = lambda o: o.evaluacion.pk
VALORES["intento_id"] = lambda o: o.intento.pk
VALORES["paquete_id"] = lambda o: o.paquete.pk
VALORES["usuario_id"] = lambda o: o.usuario.pk  # roles que asigna la encargada
VALORES["solicitud_id"] = lambda o: o.solicitud.pk  # rectificación (privacidad)
VALORES["carpeta"] = lambda o: o.paquete.carpeta.removeprefix("h5p/")
VALORES["ruta"] = lambda o: "h5p.json"
VALORES["uuid"] = lambda o: o.exportacion.uuid
VALORES["tipo"] = lambda o: "nomina"
VALORES["token_id"] = lambda o: o.token_api.pk
VALORES["firma"] = lambda o: o.firma_baja
# Admin de Wagtail
VALORES["page_id"] = lambda o: o.leccion.pk
VALORES["parent_page_id"] = lambda o: o.curso.pk
VALORES["page_to_move_id"] = lambda o: o.leccion.pk
VALORES["destination_id"] = lambda o: o.curso.pk
VALORES["page_pk"] = lambda o: o.leccion.pk
VALORES["revision_id"] = lambda o: o.revision.pk
VALORES["revision_id_a"] = lambda o: o.revision.pk
VALORES["revision_id_b"] = lambda o: "latest"
VALORES["task_state_id"] = lambda o: o.estado_tarea.pk
VALORES["task_id"] = lambda o: o.tarea.pk
VALORES["workflow_pk"] = lambda o: o.flujo.pk
VALORES["workflow_state_id"] = lambda o: o.estado_flujo.pk
VALORES["session_id"] = lambda o: o.sesion_edicion.pk
VALORES["document_id"] = lambda o: o.documento.pk
VALORES["doc_id"] = lambda o: o.documento.pk
VALORES["image_id"] = lambda o: o.imagen.pk
VALORES["uploaded_file_id"] = lambda o: o.subida.pk
VALORES["collection_id"] = lambda o: o.coleccion.pk
VALORES["restriction_id"] = lambda o: o.restriccion_coleccion.pk
VALORES["page_view_restriction_id"] = lambda o: o.restriccion_pagina.pk
VALORES["object_id"] = lambda o: o.leccion.pk
VALORES["action_name"] = lambda o: "approve"
VALORES["action"] = lambda o: "delete"
VALORES["filter_spec"] = lambda o: "original"
VALORES["app_label"] = lambda o: "wagtailcore"
VALORES["model_name"] = lambda o: "page"
VALORES["app_name"] = lambda o: "certificados"
VALORES["content_type_app_name"] = lambda o: "cursos"
VALORES["content_type_model_name"] = lambda o: "leccionpage"
VALORES["uidb64"] = lambda o: urlsafe_base64_encode(force_bytes(o.usuario.pk))
# Por nombre de URL, cuando el mismo parámetro significa otra cosa.
POR_NOMBRE: dict[str, dict[str, Callable]] = {
    "wagtailadmin_password_reset_confirm": {"token": lambda o: o.token_clave},
    "wagtailsettings:edit": {"model_name": lambda o: "configuracioncertificados"},
    "wagtailsettings:preview_on_edit": {
        "model_name": lambda o: "configuracioncertificados"
    },
    "wagtailadmin_tag_model_autocomplete": {
        "app_name": lambda o: "taggit",
        "model_name": lambda o: "tag",
    },
    "wagtailadmin_workflows:add_task": {"model_name": lambda o: "groupapprovaltask"},
    "wagtailadmin_workflows:edit_task": {"pk": lambda o: o.tarea.pk},
    "wagtailadmin_workflows:disable_task": {"pk": lambda o: o.tarea.pk},
    "wagtailadmin_workflows:enable_task": {"pk": lambda o: o.tarea.pk},
    # Archivos del reproductor H5P: iguales en todos los tenants, sin datos.
    "content:h5p_reproductor_estatico": {"ruta": lambda o: "reproductor.js"},
    "certificados:lote": {"pk": lambda o: o.lote.pk},
    "certificados:lote_estado": {"pk": lambda o: o.lote.pk},
    "certificados:lote_descargar": {"pk": lambda o: o.lote.pk},
    "wagtail_serve": {0: lambda o: o.leccion.url_path.split("/", 2)[2]},
    "wagtaildocs_serve": {
        0: lambda o: o.documento.pk,
        1: lambda o: o.documento.filename,
    },
    # La media de alfa (tenants/archivos.py) pedida en el host de beta.
    "media": {"ruta": lambda o: f"alfa/{o.imagen.file.name}"},
    # SCIM (cursos/api/): el id de una persona de alfa; los tipos son fijos.
    "scim:users": {"uuid": lambda o: o.usuario.pk},
    "scim:resource-types": {"uuid": lambda o: "User"},
    "scim:schemas": {"uuid": lambda o: "urn:ietf:params:scim:schemas:core:2.0:User"},
}
# La API y SCIM no usan la sesión: se piden con un token de escritura de beta.
ESPACIOS_CON_TOKEN = {"api", "scim"}
# Parámetros que solo eligen un tipo o una acción, no un objeto de alfa.
SIN_ID = {
    "app_label",
    "model_name",
    "app_name",
    "content_type_app_name",
    "content_type_model_name",
    "action",
    "action_name",
    "filter_spec",
    "tipo",
    "ruta",
}
# Responden 200 sin datos de alfa (el cuerpo igual se revisa).
SIN_DATOS_CON_200 = {
    # Metadatos de SCIM: iguales en todos los tenants («User», el esquema core).
    "scim:resource-types",
    "scim:schemas",
    # Borra solo sesiones de edición del propio usuario: con un id ajeno no hace nada.
    "wagtailadmin_editing_sessions:release",
    # Django responde 200 con «el enlace no es válido» y sin formulario.
    "wagtailadmin_password_reset_confirm",
}
# Consultas que acompañan a ciertos patrones (ids en el query string).
QUERY = {
    "wagtail_bulk_action": lambda o: f"?id={o.leccion.pk}",
}


class ObjetosAlfa:
    """Un objeto de cada tipo en alfa, con ids que beta no tiene."""


def secuencias_adelantar() -> None:
    """Los ids de alfa quedan por encima de todo lo que beta tiene: un pk de alfa no
    puede coincidir con un objeto propio de beta (ambos se clonaron de la plantilla)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = 'alfa'"
        )
        for (nombre,) in cursor.fetchall():
            cursor.execute(
                f'SELECT GREATEST((SELECT last_value FROM alfa."{nombre}"), '
                f'(SELECT last_value FROM beta."{nombre}"))'
            )
            (ultimo,) = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s)", [f'alfa."{nombre}"', ultimo + 1000])


class URLsOtroTenantTests(pq.MediaTemporalMixin, CapacitaTestCase):
    def setUp(self):
        super().setUp()
        secuencias_adelantar()
        with self.en_a():
            self.o = self.objetos_crear()
        with self.en_b():
            self.admin_b = usuario_asegurar(
                username="admin-beta", password=CLAVE, rol=Rol.ENCARGADO
            )
            self.admin_b.is_superuser = True
            self.admin_b.save(update_fields=["is_superuser"])
            _token, self.secreto_api_b = token_crear(
                nombre="Token beta",
                institucion=UnidadFactory().institucion,
                alcance=TokenAPI.Alcance.ESCRITURA,
                creado_por=self.admin_b,
            )
        self.ingresar(self.client_b, "admin-beta")

    def objetos_crear(self) -> ObjetosAlfa:
        o = ObjetosAlfa()
        ruta = RutaPage.objects.live().first()
        o.curso = ruta.add_child(
            instance=CursoPage(title=f"Curso {SECRETO}", slug="curso-secreto-alfa")
        )
        o.curso.save_revision().publish()
        o.leccion = leccion_agregar(
            o.curso, title=f"Lección {SECRETO}", slug="leccion-secreta-alfa"
        )
        o.revision = o.leccion.save_revision()
        o.usuario = UsuarioFactory(username=f"usuario-{SECRETO}", last_name=SECRETO)
        unidad = UnidadFactory(nombre=f"Unidad {SECRETO}")
        o.institucion = unidad.institucion
        o.unidad = unidad
        o.dotacion = dotacion_guardar(unidad=unidad, anio=2026, total=7)
        PerfilFactory(usuario=o.usuario, rut=RUT_A, unidad=unidad)
        o.solicitud = rectificacion_solicitar(
            usuario=o.usuario, campo="cargo", valor=SECRETO, motivo=SECRETO
        )
        o.token_clave = default_token_generator.make_token(o.usuario)
        o.grupo = Group.objects.create(name=f"Grupo {SECRETO}")
        o.coleccion = Collection.get_first_root_node().add_child(
            name=f"Colección {SECRETO}"
        )
        o.sitio = Site.objects.create(
            hostname="secreto.alfa.localhost",
            port=80,
            root_page=o.curso,
            site_name=f"Sitio {SECRETO}",
        )
        o.imagen = get_image_model().objects.create(
            title=f"Imagen {SECRETO}", file=get_test_image_file()
        )
        o.documento = get_document_model().objects.create(
            title=f"Documento {SECRETO}",
            file=ContentFile(SECRETO.encode(), name="secreto.txt"),
        )
        o.subida = UploadedFile.objects.create(
            file=ContentFile(b"x", name="subida.txt"),
            uploaded_by_user=o.usuario,
            for_content_type=ContentType.objects.get_for_model(get_image_model()),
        )
        o.paquete = paquete_crear(
            titulo=f"Paquete {SECRETO}", archivo=pq.demo_archivo()
        )
        o.categoria = CategoriaFactory(nombre=f"Categoría {SECRETO}")
        preguntas = banco_crear(o.categoria)
        o.pregunta = preguntas[0]
        o.evaluacion = evaluacion_crear(
            reglas=[(o.categoria, len(preguntas))], titulo=f"Evaluación {SECRETO}"
        )
        o.intento = intento_iniciar(usuario=o.usuario, evaluacion=o.evaluacion)
        otro = ruta.add_child(
            instance=CursoPage(title=f"Actualización {SECRETO}", slug="act-secreta")
        )
        o.actualizacion = CursoActualizacion.objects.create(
            curso=o.curso, curso_actualizacion=otro
        )
        with self.captureOnCommitCallbacks(execute=True):
            curso_completar(o.usuario, o.curso)
        o.certificado = Certificado.objects.get(usuario=o.usuario)
        o.lote = LoteZip.objects.create(unidad=unidad, solicitado_por=o.usuario)
        inicio = timezone.now()
        o.jornada = jornada_crear(
            tema=f"Jornada {SECRETO}", inicio=inicio, fin=inicio + timedelta(hours=2)
        )
        ConfiguracionCertificados.objects.all().delete()
        o.configuracion = ConfiguracionCertificados.objects.create(
            firmante_nombre=f"Firmante {SECRETO}"
        )
        o.flujo = Workflow.objects.create(name=f"Flujo {SECRETO}")
        o.tarea = GroupApprovalTask.objects.create(name=f"Tarea {SECRETO}")
        WorkflowTask.objects.create(workflow=o.flujo, task=o.tarea, sort_order=0)
        o.estado_flujo = o.flujo.start(o.leccion, o.usuario)
        o.estado_tarea = o.estado_flujo.current_task_state
        o.sesion_edicion = EditingSession.objects.create(
            user=o.usuario,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(o.leccion.pk),
            last_seen_at=timezone.now(),
        )
        o.restriccion_pagina = PageViewRestriction.objects.create(
            page=o.leccion, restriction_type="password", password="clave"
        )
        o.restriccion_coleccion = CollectionViewRestriction.objects.create(
            collection=o.coleccion, restriction_type="password", password="clave"
        )
        o.token_api, _secreto = token_crear(
            nombre=f"Token {SECRETO}",
            institucion=o.institucion,
            alcance=TokenAPI.Alcance.ESCRITURA,
            creado_por=o.usuario,
        )
        assert Perfil.objects.filter(rut=RUT_A).exists()
        # El enlace de baja del correo de avisos: firmado con el schema de alfa.
        from avisos.services import baja_firmar, preferencia_obtener

        o.firma_baja = baja_firmar(
            preferencia=preferencia_obtener(usuario=o.usuario), categoria="plazo"
        )
        connection.set_schema_to_public()
        o.exportacion = Exportacion.objects.create(
            schema_name="alfa",
            usuario_id=o.usuario.pk,
            usuario=o.usuario.username,
            tipo=Exportacion.Tipo.NOMINA,
        )
        connection.set_tenant(self.tenant_a)
        return o

    def url_llenar(self, patron: Patron) -> tuple[str | None, list[str]]:
        """La URL con los valores de alfa, o los parámetros que no se supo llenar."""
        especiales = POR_NOMBRE.get(patron.nombre, {})
        espacio = patron.nombre.rpartition(":")[0]
        kwargs, faltan = {}, []
        for nombre in patron.kwargs:
            if nombre in especiales:
                kwargs[nombre] = especiales[nombre](self.o)
            elif nombre == "pk" and espacio in PK_POR_ESPACIO:
                kwargs[nombre] = getattr(self.o, PK_POR_ESPACIO[espacio]).pk
            elif nombre in VALORES and nombre != "pk":
                kwargs[nombre] = VALORES[nombre](self.o)
            else:
                faltan.append(f"{patron.ruta} ({patron.nombre}): {nombre}")
        args = []
        for n in range(patron.posicionales):
            if n in especiales:
                args.append(especiales[n](self.o))
            else:
                faltan.append(f"{patron.ruta} ({patron.nombre}): posicional {n}")
        if faltan:
            return None, faltan
        if not patron.nombre:
            return None, [f"{patron.ruta}: patrón con parámetros y sin nombre"]
        url = reverse(
            patron.nombre, urlconf="config.urls_tenant", args=args, kwargs=kwargs
        )
        if patron.nombre in QUERY:
            url += QUERY[patron.nombre](self.o)
        return url, []

    def revisar(self, patron: Patron, metodo: str, url: str) -> str | None:
        extra = {}
        if patron.nombre.partition(":")[0] in ESPACIOS_CON_TOKEN:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.secreto_api_b}"
        response = getattr(self.client_b, metodo)(url, follow=True, **extra)
        cuerpo = b"".join(response) if response.streaming else response.content
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        if SECRETO.encode() in cuerpo or RUT_A.encode() in cuerpo:
            return f"{metodo.upper()} {url} → {final}: datos de alfa"
        if response.status_code in (403, 404, 405):
            return None
        if not self.lleva_id(patron) or patron.nombre in SIN_DATOS_CON_200:
            return None  # solo elige un tipo: beta ve lo suyo, sin datos de alfa
        if response.redirect_chain and not self.ids_en(final):
            return None  # p. ej. al escritorio del admin o al ingreso
        return f"{metodo.upper()} {url} → {final}: {response.status_code}"

    def lleva_id(self, patron: Patron) -> bool:
        return (
            any(k not in SIN_ID for k in patron.kwargs)
            or patron.posicionales > 0
            or patron.nombre in QUERY
        )

    def ids_en(self, url: str) -> bool:
        partes = set(url.strip("/").split("/"))
        ids = {
            str(getattr(valor, "pk", ""))
            for valor in vars(self.o).values()
            if getattr(valor, "pk", None)
        }
        return bool(partes & ids)

    def test_cada_url_con_ids_de_alfa_desde_beta_es_404_o_403(self):
        todos = list(patrones())
        con_parametros = [p for p in todos if p.kwargs or p.posicionales]
        self.assertGreater(len(con_parametros), 150)
        faltan, problemas = [], []
        for patron in con_parametros:
            url, sin_valor = self.url_llenar(patron)
            faltan += sin_valor
            if url is None:
                continue
            for metodo in ("get", "post"):
                problema = self.revisar(patron, metodo, url)
                if problema:
                    problemas.append(problema)
        self.assertEqual(
            faltan,
            [],
            "Patrones nuevos con parámetros: agregue cómo llenarlos en VALORES, "
            "PK_POR_ESPACIO o POR_NOMBRE",
        )
        self.assertEqual(problemas, [], "\n".join(problemas))

    def test_los_objetos_de_alfa_si_se_ven_en_alfa(self):
        """Control: las mismas URL funcionan en su tenant (no es un 404 por error)."""
        with self.en_a():
            admin_a = usuario_asegurar(
                username="admin-alfa", password=CLAVE, rol=Rol.ENCARGADO
            )
            admin_a.is_superuser = True
            admin_a.save(update_fields=["is_superuser"])
        self.ingresar(self.client_a, "admin-alfa")
        for url in [
            f"/admin/pages/{self.o.leccion.pk}/edit/",
            f"/admin/images/{self.o.imagen.pk}/",
            f"/admin/users/edit/{self.o.usuario.pk}/",
            f"/admin/snippets/content/paqueteh5p/edit/{self.o.paquete.pk}/",
            f"/encargado/jornadas/{self.o.jornada.pk}/",
            f"/admin/snippets/cursos/unidad/edit/{self.o.unidad.pk}/",
            f"/admin/snippets/cursos/dotacion/edit/{self.o.dotacion.pk}/",
        ]:
            response = self.client_a.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(SECRETO, response.content.decode(), url)
