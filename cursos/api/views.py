"""Vistas de la API v1: delgadas. Validan con serializers, llaman a un servicio o a
un selector y responden. Ninguna ruta lleva un RUT: las búsquedas por RUT van en el
cuerpo de un POST (``personas/buscar/``)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cursos.models import CursoPage
from cursos.selectors import avances
from verificacion.codigos import codigo_formatear
from verificacion.estados import certificado_estado

from . import selectors, services
from . import serializers as s
from .idempotencia import idempotente
from .problemas import Conflicto, manejar_excepcion
from .tokens import TokenBearerAuthentication, TokenPermiso, TokenThrottle


def solo_api_v1(endpoints, **kwargs):
    """PREPROCESSING_HOOKS de drf-spectacular: documenta solo /api/v1/."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


class VistaAPI(APIView):
    """Base de la API v1: token Bearer, permiso por alcance, límite por token,
    solo JSON y errores problem+json."""

    authentication_classes = [TokenBearerAuthentication]
    permission_classes = [TokenPermiso]
    throttle_classes = [TokenThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def get_exception_handler(self):
        return manejar_excepcion


IDEMPOTENCIA = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_(
        "Opcional. Repetir la misma clave con el mismo cuerpo devuelve la respuesta "
        "guardada sin volver a aplicar; con otro cuerpo, 409."
    ),
)
DESDE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=_(
        "Solo lo cambiado desde este instante (ISO 8601). Use el campo «hasta» de "
        "la sincronización anterior."
    ),
)


class Paginacion(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        # «hasta» se fija antes de leer: lo que cambie durante la lectura entra en
        # la próxima sincronización, no se pierde.
        self.hasta = timezone.now()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["hasta"] = self.hasta.isoformat()
        return response

    def get_paginated_response_schema(self, schema):
        esquema = super().get_paginated_response_schema(schema)
        esquema["properties"]["hasta"] = {"type": "string", "format": "date-time"}
        return esquema


def _desde(request) -> dt.datetime | None:
    valor = request.query_params.get("updated_since", "").strip()
    if not valor:
        return None
    fecha = parse_datetime(valor)
    if fecha is None and parse_date(valor) is not None:
        fecha = dt.datetime.combine(parse_date(valor), dt.time.min)
    if fecha is None:
        raise serializers.ValidationError(
            {"updated_since": [_("Use una fecha ISO 8601, p. ej. 2026-12-01T10:00Z.")]}
        )
    if timezone.is_naive(fecha):
        fecha = timezone.make_aware(fecha)
    return fecha


def _entero(request, nombre: str) -> int | None:
    valor = request.query_params.get(nombre, "").strip()
    if not valor:
        return None
    if not valor.isdigit():
        raise serializers.ValidationError({nombre: [_("Debe ser un número entero.")]})
    return int(valor)


def _validar(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ListaPaginada(VistaAPI):
    def paginar(self, request, qs, filas):
        paginador = Paginacion()
        pagina = paginador.paginate_queryset(qs, request, view=self)
        return paginador.get_paginated_response(filas(pagina))


def _persona(perfil) -> dict:
    u = perfil.usuario
    return {
        "id": u.pk,
        "rut": perfil.rut,
        "nombres": u.first_name,
        "apellidos": u.last_name,
        "correo": u.email,
        "sexo": perfil.sexo,
        "unidad_id": perfil.unidad_id,
        "cargo": perfil.cargo,
        "activo": u.is_active,
    }


class PersonasView(ListaPaginada):
    @extend_schema(
        summary=_("Personas de la institución"),
        responses=s.PersonaSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.personas(request.auth)
        return self.paginar(request, qs, lambda p: [_persona(x) for x in p])

    @extend_schema(
        summary=_("Crear o actualizar personas por RUT (todo o nada)"),
        request=s.PersonasLoteSerializer,
        responses=s.ResultadoPersonasSerializer,
        parameters=[IDEMPOTENCIA],
    )
    @idempotente
    def post(self, request):
        datos = _validar(s.PersonasLoteSerializer, request)
        try:
            resultado = services.personas_sincronizar(
                token=request.auth, personas=datos["personas"]
            )
        except IntegrityError:
            # Otra solicitud creó a alguna de estas personas al mismo tiempo.
            raise Conflicto(
                _("Otra solicitud modificó estas personas a la vez; reintente.")
            ) from None
        return Response(
            {
                "creadas": resultado.creadas,
                "actualizadas": resultado.actualizadas,
                "personas": resultado.personas,
            },
            status=status.HTTP_200_OK,
        )


class PersonasBuscarView(VistaAPI):
    solo_lee = True

    @extend_schema(
        summary=_("Buscar personas por RUT (en el cuerpo, nunca en la URL)"),
        request=s.RutsSerializer,
        responses=s.PersonaSerializer(many=True),
    )
    def post(self, request):
        datos = _validar(s.RutsSerializer, request)
        qs = selectors.personas(request.auth).filter(rut__in=datos["ruts"])
        return Response({"results": [_persona(p) for p in qs]})


class UnidadesView(ListaPaginada):
    @extend_schema(
        summary=_("Unidades de la institución"),
        responses=s.UnidadSerializer(many=True),
    )
    def get(self, request):
        return self.paginar(
            request,
            selectors.unidades(request.auth),
            lambda p: [{"id": u.pk, "nombre": u.nombre, "region": u.region} for u in p],
        )

    @extend_schema(
        summary=_("Crear una unidad (o actualizar su región)"),
        request=s.UnidadEntradaSerializer,
        responses=s.UnidadSerializer,
        parameters=[IDEMPOTENCIA],
    )
    @idempotente
    def post(self, request):
        datos = _validar(s.UnidadEntradaSerializer, request)
        unidad, creada = services.unidad_guardar(token=request.auth, **datos)
        return Response(
            {"id": unidad.pk, "nombre": unidad.nombre, "region": unidad.region},
            status=status.HTTP_201_CREATED if creada else status.HTTP_200_OK,
        )


def _dotacion(d) -> dict:
    return {
        "unidad_id": d.unidad_id,
        "anio": d.anio,
        "total": d.total,
        "femenino": d.femenino,
        "masculino": d.masculino,
    }


class DotacionView(ListaPaginada):
    @extend_schema(
        summary=_("Dotación por unidad y año"),
        parameters=[OpenApiParameter("anio", OpenApiTypes.INT)],
        responses=s.DotacionSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.dotaciones(request.auth, anio=_entero(request, "anio"))
        return self.paginar(request, qs, lambda p: [_dotacion(d) for d in p])

    @extend_schema(
        summary=_("Registrar dotaciones (todo o nada)"),
        request=s.DotacionesLoteSerializer,
        responses=s.DotacionSerializer(many=True),
        parameters=[IDEMPOTENCIA],
    )
    @idempotente
    def post(self, request):
        datos = _validar(s.DotacionesLoteSerializer, request)
        guardadas = services.dotaciones_guardar(
            token=request.auth, filas=datos["dotaciones"]
        )
        return Response({"results": [_dotacion(d) for d in guardadas]})


class CursosView(ListaPaginada):
    @extend_schema(
        summary=_("Cursos publicados"), responses=s.CursoSerializer(many=True)
    )
    def get(self, request):
        qs = CursoPage.objects.live().order_by("pk")
        return self.paginar(
            request,
            qs,
            lambda p: [
                {"id": c.pk, "titulo": c.title, "version": c.version, "horas": c.horas}
                for c in p
            ],
        )


def _resultado_inscripciones(r) -> dict:
    return {
        "creadas": r.creadas,
        "existentes": r.existentes,
        "rechazadas": r.rechazadas,
        "resultados": r.resultados,
    }


class InscripcionesView(VistaAPI):
    @extend_schema(
        summary=_("Inscribir personas por RUT en un curso"),
        request=s.InscripcionPersonasSerializer,
        responses=s.ResultadoInscripcionSerializer,
        parameters=[IDEMPOTENCIA],
    )
    @idempotente
    def post(self, request):
        datos = _validar(s.InscripcionPersonasSerializer, request)
        curso = services.curso_publicado(datos["curso_id"])
        resultado = services.inscripciones_por_personas(
            token=request.auth, curso=curso, ruts=datos["ruts"]
        )
        return Response(_resultado_inscripciones(resultado))


class InscripcionesUnidadView(VistaAPI):
    @extend_schema(
        summary=_("Inscribir a toda una unidad en un curso"),
        request=s.InscripcionUnidadSerializer,
        responses=s.ResultadoInscripcionSerializer,
        parameters=[IDEMPOTENCIA],
    )
    @idempotente
    def post(self, request):
        datos = _validar(s.InscripcionUnidadSerializer, request)
        curso = services.curso_publicado(datos["curso_id"])
        unidad = services.unidad_de(request.auth, datos["unidad_id"])
        resultado = services.inscripciones_por_unidad(
            token=request.auth, curso=curso, unidad=unidad
        )
        return Response(_resultado_inscripciones(resultado))


def _avance(a) -> dict:
    i = a.inscripcion
    certificado = a.certificado
    vence = certificado[1] if certificado else i.vence_at
    perfil = getattr(i.usuario, "perfil", None)
    return {
        "inscripcion_id": i.pk,
        "persona_id": i.usuario_id,
        "rut": perfil.rut if perfil else None,
        "curso_id": i.curso_id,
        "curso": i.curso.title,
        "ciclo": i.ciclo,
        "estado": a.estado,
        "porcentaje": a.porcentaje,
        "inscrito_at": i.created_at,
        "completado_at": i.completado_at,
        "vence_at": vence,
    }


class AvanceView(ListaPaginada):
    @extend_schema(
        summary=_("Avance de las inscripciones (incremental con updated_since)"),
        parameters=[DESDE, OpenApiParameter("curso_id", OpenApiTypes.INT)],
        responses=s.AvanceSerializer(many=True),
    )
    def get(self, request):
        ids = selectors.inscripciones_avance(
            request.auth, desde=_desde(request), curso_id=_entero(request, "curso_id")
        ).values_list("pk", flat=True)
        return self.paginar(
            request,
            ids,
            lambda p: [
                _avance(a) for a in avances(selectors.inscripciones_cargar(list(p)))
            ],
        )


def _certificado(f) -> dict:
    return {
        "codigo": codigo_formatear(f["certificado__codigo"]),
        "persona_id": f["usuario_id"],
        "rut": f["usuario__perfil__rut"],
        "curso_id": f["curso_id"],
        "curso": f["certificado__curso_titulo"],
        "ciclo": f["ciclo"],
        "estado": certificado_estado(
            estado=f["certificado__estado"], vence=f["certificado__vence_at"]
        ),
        "emitido_at": f["certificado__emitido_at"],
        "vence_at": f["certificado__vence_at"],
        "revocado_at": f["certificado__revocado_at"],
    }


class CertificadosView(ListaPaginada):
    @extend_schema(
        summary=_("Certificados emitidos (incremental con updated_since)"),
        parameters=[DESDE],
        responses=s.CertificadoSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.certificados(request.auth, desde=_desde(request))
        return self.paginar(request, qs, lambda p: [_certificado(f) for f in p])
