"""Entradas y salidas de la API. Validan forma y formato; las reglas de negocio
(quién puede inscribirse, dotación coherente) las aplican los servicios de cursos."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cursos.choices import Region, Sexo
from lib.rut import rut_normalizar

SEXOS = {
    "": "",
    "f": Sexo.FEMENINO,
    "m": Sexo.MASCULINO,
    **{s.value: s.value for s in Sexo},
}


class RutField(serializers.CharField):
    """RUT con o sin puntos; sale normalizado «12345678-5». El error no lo repite."""

    default_error_messages = {"invalid": gettext_lazy("El RUT no es válido.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        valor = super().to_internal_value(data)
        try:
            return rut_normalizar(valor)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class PersonaEntradaSerializer(serializers.Serializer):
    rut = RutField()
    nombres = serializers.CharField(max_length=150)
    apellidos = serializers.CharField(max_length=150)
    correo = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default=""
    )
    sexo = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    unidad_id = serializers.IntegerField(min_value=1)
    cargo = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )

    def validate_sexo(self, valor: str) -> str:
        sexo = SEXOS.get(valor.strip().lower())
        if sexo is None:
            raise serializers.ValidationError(
                _("Sexo desconocido: use F, M, femenino, masculino, otro o vacío.")
            )
        return sexo


class PersonasLoteSerializer(serializers.Serializer):
    personas = PersonaEntradaSerializer(many=True, allow_empty=False)

    def validate_personas(self, personas: list[dict]) -> list[dict]:
        if len(personas) > settings.API_MAX_LOTE:
            raise serializers.ValidationError(
                _("Envíe a lo más %(n)d personas por solicitud.")
                % {"n": settings.API_MAX_LOTE}
            )
        vistos: dict[str, int] = {}
        errores: list[dict] = [{} for _p in personas]
        for i, persona in enumerate(personas):
            if persona["rut"] in vistos:
                errores[i] = {
                    "rut": [
                        _("RUT repetido: ya viene en personas[%(n)d].")
                        % {"n": vistos[persona["rut"]]}
                    ]
                }
            vistos.setdefault(persona["rut"], i)
        if any(errores):
            raise serializers.ValidationError(errores)
        return personas


class RutsSerializer(serializers.Serializer):
    ruts = serializers.ListField(child=RutField(), allow_empty=False)

    def validate_ruts(self, ruts: list[str]) -> list[str]:
        if len(ruts) > settings.API_MAX_LOTE:
            raise serializers.ValidationError(
                _("Envíe a lo más %(n)d RUT por solicitud.")
                % {"n": settings.API_MAX_LOTE}
            )
        return ruts


class InscripcionPersonasSerializer(RutsSerializer):
    curso_id = serializers.IntegerField(min_value=1)


class InscripcionUnidadSerializer(serializers.Serializer):
    curso_id = serializers.IntegerField(min_value=1)
    unidad_id = serializers.IntegerField(min_value=1)


class UnidadEntradaSerializer(serializers.Serializer):
    nombre = serializers.CharField(max_length=150)
    region = serializers.ChoiceField(
        choices=Region.choices, required=False, allow_blank=True, default=""
    )


class DotacionEntradaSerializer(serializers.Serializer):
    unidad_id = serializers.IntegerField(min_value=1)
    anio = serializers.IntegerField(min_value=2000, max_value=2100)
    total = serializers.IntegerField(min_value=0)
    femenino = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    masculino = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class DotacionesLoteSerializer(serializers.Serializer):
    dotaciones = DotacionEntradaSerializer(many=True, allow_empty=False)


# Salidas (solo para documentar el esquema OpenAPI; las vistas arman diccionarios).


class PersonaSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("Identificador de la persona"))
    rut = serializers.CharField()
    nombres = serializers.CharField()
    apellidos = serializers.CharField()
    correo = serializers.CharField()
    sexo = serializers.CharField()
    unidad_id = serializers.IntegerField(allow_null=True)
    cargo = serializers.CharField()
    activo = serializers.BooleanField()


class ResultadoPersonasSerializer(serializers.Serializer):
    creadas = serializers.IntegerField()
    actualizadas = serializers.IntegerField()
    personas = serializers.ListField(child=serializers.DictField())


class UnidadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()
    region = serializers.CharField()


class DotacionSerializer(serializers.Serializer):
    unidad_id = serializers.IntegerField()
    anio = serializers.IntegerField()
    total = serializers.IntegerField()
    femenino = serializers.IntegerField(allow_null=True)
    masculino = serializers.IntegerField(allow_null=True)


class CursoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    titulo = serializers.CharField()
    version = serializers.CharField()
    horas = serializers.DecimalField(max_digits=5, decimal_places=1)


class ResultadoInscripcionSerializer(serializers.Serializer):
    creadas = serializers.IntegerField()
    existentes = serializers.IntegerField()
    rechazadas = serializers.IntegerField()
    resultados = serializers.ListField(child=serializers.DictField())


class AvanceSerializer(serializers.Serializer):
    inscripcion_id = serializers.IntegerField()
    persona_id = serializers.IntegerField()
    rut = serializers.CharField(allow_null=True)
    curso_id = serializers.IntegerField()
    curso = serializers.CharField()
    ciclo = serializers.IntegerField()
    estado = serializers.CharField()
    porcentaje = serializers.IntegerField()
    inscrito_at = serializers.DateTimeField()
    completado_at = serializers.DateTimeField(allow_null=True)
    vence_at = serializers.DateTimeField(allow_null=True)


class CertificadoSerializer(serializers.Serializer):
    codigo = serializers.CharField()
    persona_id = serializers.IntegerField()
    rut = serializers.CharField(allow_null=True)
    curso_id = serializers.IntegerField()
    curso = serializers.CharField()
    ciclo = serializers.IntegerField()
    estado = serializers.CharField()
    emitido_at = serializers.DateTimeField()
    vence_at = serializers.DateTimeField(allow_null=True)
    revocado_at = serializers.DateTimeField(allow_null=True)
