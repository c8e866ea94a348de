"""SCIM 2.0 (``/scim/v2/Users``) para proveedores de identidad, con django-scim2.

Se autentica con los mismos tokens de la API (``Authorization: Bearer``), que deben
ser de lectura y escritura, y ve solo a las personas de la institución del token.
El RUT viaja en la extensión empresarial (``employeeNumber``), nunca en la URL: el
``id`` de SCIM es el identificador interno de la persona. Dar de baja (DELETE) solo
desactiva la cuenta: sus inscripciones y certificados se conservan.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_scim import constants, exceptions
from django_scim.adapters import SCIMUser

from cursos.models import Perfil, Unidad
from cursos.services.perfiles import perfil_actualizar
from tenants.roles import Rol

from .services import api_auditar
from .tokens import TokenThrottle, secreto_de_cabecera, token_autenticar

EMPRESA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _error(status: int, detalle: str, scim_type: str | None = None) -> HttpResponse:
    datos = {"schemas": [ERROR], "status": str(status), "detail": detalle}
    if scim_type:
        datos["scimType"] = scim_type
    return HttpResponse(
        json.dumps(datos), status=status, content_type=constants.SCIM_CONTENT_TYPE
    )


class AutenticacionSCIM:
    """AUTH_CHECK_MIDDLEWARE de django-scim2: token Bearer de escritura y límite.

    Reemplaza al de la biblioteca, que además escribe los cuerpos en el log (y con
    ellos el RUT).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request, *args, **kwargs):
        try:
            cabecera = request.headers.get("Authorization", "").encode()
            secreto = secreto_de_cabecera(cabecera)
            if secreto is None:
                raise ValidationError(
                    _("Envíe la cabecera «Authorization: Bearer <token>».")
                )
            token = token_autenticar(secreto)
        except ValidationError as exc:
            response = _error(401, " ".join(exc.messages))
            response["WWW-Authenticate"] = 'Bearer realm="capacita"'
            return response
        if not token.puede_escribir:
            return _error(403, _("SCIM exige un token de lectura y escritura."))
        request.auth = token
        request.token_api = token
        if not TokenThrottle().allow_request(request, None):
            return _error(429, _("Superó el límite de solicitudes. Reintente luego."))
        return self.get_response(request, *args, **kwargs)


def ubicacion_base(request=None, *args, **kwargs) -> str:
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def filtro_institucion(model):
    def filtro(request, *args, **kwargs):
        return {"perfil__institucion_id": request.token_api.institucion_id}

    return filtro


def _codigos(exc: ValidationError) -> set[str]:
    errores = (
        exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    )
    return {e.code for lista in errores for e in lista if e.code}


def _activo(valor) -> bool:
    # Algunos proveedores (Entra ID) mandan «"False"» como texto en un PATCH.
    if isinstance(valor, str):
        return valor.strip().lower() == "true"
    return bool(valor)


def _aplanar(valor: dict) -> dict:
    """{"name": {"givenName": "Ana"}} → {"name.givenName": "Ana"}; las extensiones
    (claves «urn:…») quedan como vienen."""
    plano: dict = {}
    for clave, dato in valor.items():
        if isinstance(dato, dict) and not clave.startswith("urn:"):
            plano.update({f"{clave}.{sub}": v for sub, v in dato.items()})
        else:
            plano[clave] = dato
    return plano


class UsuarioSCIM(SCIMUser):
    id_field = "pk"
    url_name = "scim:users"

    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self._perfil_datos: dict = {}

    @property
    def perfil(self) -> Perfil | None:
        if self.obj.pk is None:
            return None
        try:
            return self.obj.perfil  # cargado con select_related en las listas
        except Perfil.DoesNotExist:
            return None

    @property
    def groups(self):
        return []

    def parse_path_and_values(self, path, value):
        # Sin «path», RFC 7644 §3.5.2.3 permite reemplazar un atributo complejo
        # entero: {"name": {"givenName": …}}. La biblioteca solo entiende claves
        # simples o con punto y respondía 500; se aplana a «name.givenName».
        if not path and isinstance(value, dict):
            value = _aplanar(value)
        return super().parse_path_and_values(path, value)

    def to_dict(self):
        perfil = self.perfil
        unidad = perfil.unidad if perfil else None
        institucion = perfil.institucion if perfil else None
        d = {
            "schemas": [constants.SchemaURI.USER, EMPRESA],
            "id": self.id,
            "userName": self.obj.username,
            "name": {
                "givenName": self.obj.first_name,
                "familyName": self.obj.last_name,
                "formatted": self.name_formatted,
            },
            "displayName": self.display_name,
            "emails": self.emails if self.obj.email else [],
            "active": self.obj.is_active,
            "groups": [],
            EMPRESA: {
                "employeeNumber": perfil.rut if perfil else None,
                "department": unidad.nombre if unidad else None,
                "organization": str(institucion) if institucion else None,
            },
            "meta": self.meta,
        }
        return d

    def from_dict(self, d):
        if not d.get("userName"):
            raise exceptions.BadRequestError(_("Falta userName."))
        self.obj.username = str(d["userName"])[:150]
        nombre = d.get("name") or {}
        self.obj.first_name = str(nombre.get("givenName") or "")[:150]
        self.obj.last_name = str(nombre.get("familyName") or "")[:150]
        self.parse_emails(d.get("emails"))
        if d.get("active") is not None:
            self.obj.is_active = _activo(d["active"])
        empresa = d.get(EMPRESA) or {}
        self._perfil_datos = {
            "rut": empresa.get("employeeNumber"),
            "departamento": empresa.get("department"),
        }

    def _default_validate_op(self, path, value, operation):
        # «active» puede venir como texto («"False"», Entra ID): save() lo convierte.
        # La validación de la biblioteca falla con un 500 si la operación no trae path.
        return None

    @staticmethod
    def validate_email(email):
        try:
            EmailValidator()(email)
        except ValidationError:
            raise exceptions.BadRequestError(_("El correo no es válido.")) from None

    def _unidad(self, token) -> Unidad | None:
        nombre = (self._perfil_datos.get("departamento") or "").strip()
        if not nombre:
            return None
        unidad = Unidad.objects.filter(
            institucion_id=token.institucion_id, nombre__iexact=nombre
        ).first()
        if unidad is None:
            raise exceptions.BadRequestError(
                _("La unidad (department) no existe en la institución del token.")
            )
        return unidad

    def save(self):
        token = self.request.token_api
        creando = self.obj.pk is None
        self.obj.is_active = _activo(self.obj.is_active)
        rut = self._perfil_datos.get("rut")
        if creando and not rut:
            raise exceptions.BadRequestError(
                _("Falta el RUT en employeeNumber de la extensión empresarial.")
            )
        try:
            with transaction.atomic():
                self._guardar(token, creando=creando, rut=rut)
        except IntegrityError:
            raise exceptions.IntegrityError(
                _("Ya existe una cuenta con ese userName.")
            ) from None
        except ValidationError as exc:
            mensajes = " ".join(exc.messages)
            if _codigos(exc) & {"rut_duplicado", "unique"}:
                raise exceptions.IntegrityError(mensajes) from None
            raise exceptions.BadRequestError(mensajes) from None
        accion = "scim_usuario_crear" if creando else "scim_usuario_actualizar"
        api_auditar(token, accion, usuario=self.obj.pk)

    def _guardar(self, token, *, creando: bool, rut: str | None) -> None:
        if creando:
            self.obj.set_unusable_password()
        self.obj.full_clean(exclude=["password"], validate_unique=False)
        self.obj.save()
        if creando:
            grupo, _c = Group.objects.get_or_create(name=Rol.FUNCIONARIO.value)
            self.obj.groups.add(grupo)
        perfil = self.perfil
        if not creando and not self._perfil_datos:
            return  # PATCH de atributos de la cuenta: el perfil no cambia
        unidad = self._unidad(token) or (perfil.unidad if perfil else None)
        if unidad is not None and unidad.institucion_id != token.institucion_id:
            unidad = None
        perfil_actualizar(
            usuario=self.obj,
            first_name=self.obj.first_name,
            last_name=self.obj.last_name,
            rut=rut,
            sexo=perfil.sexo if perfil else "",
            institucion=token.institucion,
            unidad=unidad,
            cargo=perfil.cargo if perfil else "",
            region=(unidad.region if unidad else "")
            or (perfil.region if perfil else ""),
        )

    def delete(self):
        token = self.request.token_api
        get_user_model().objects.filter(pk=self.obj.pk).update(is_active=False)
        api_auditar(token, "scim_usuario_desactivar", usuario=self.obj.pk)
