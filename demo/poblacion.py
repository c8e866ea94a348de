"""Población de demostración: instituciones, dotación, nómina, cursos y jornadas.

Todo entra por los servicios de la plataforma, así se escriben los hechos nacionales
igual que en producción:

- la nómina se importa con ``cursos.services.nomina.nomina_importar`` (una planilla por
  tenant, la misma que sube la encargada);
- la dotación con ``cursos.services.nomina.dotacion_guardar`` (2024, 2025 y 2026);
- cada curso se completa con ``demo.evaluaciones.curso_demo_aprobar`` (lecciones y
  evaluación final aprobada con un intento calificado) y su certificado con
  ``certificados.services.certificado_emitir``;
- las jornadas con ``cursos.services.jornadas.jornada_guardar`` y su asistencia con
  ``asistencia_registrar``.

Las fechas pasadas se logran viajando en el tiempo (``time_machine``, dependencia de
desarrollo) alrededor de cada llamada: los servicios siguen usando
``timezone.now()`` sin un parámetro que solo la demo necesitaría.

Es idempotente: una segunda pasada no agrega personas, hechos ni jornadas.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from lib.rut import dv_calcular

from .datos import (
    ANIOS,
    APELLIDOS,
    COMPARTIDAS,
    CRECIMIENTO,
    NOMBRES_F,
    NOMBRES_M,
    POBLACIONES,
    RUT_BASE,
    RUT_PASO,
)

# Una jornada dura dos horas y media, desde las 10:00 (hora de Chile).
HORA_JORNADA = time(10, 0)
DURACION_JORNADA = timedelta(hours=2, minutes=30)
# Las fechas de los cursos completados van desde aquí hasta ayer.
PRIMER_DIA = date(2024, 3, 1)


@dataclass
class Resultado:
    personas_nuevas: int = 0
    completados: int = 0
    jornadas: int = 0
    asistencias: int = 0


@dataclass(frozen=True)
class Persona:
    rut: str
    nombres: str
    apellidos: str
    sexo: str  # como en la planilla: F, M, Otro o vacío
    sigla: str
    unidad: str
    cargo: str


def _rut(cuerpo: int) -> str:
    return f"{cuerpo}-{dv_calcular(str(cuerpo))}"


def _cantidad(n: int, escala: float) -> int:
    return max(2, round(n * escala))


def personas_generar(schema: str, *, escala: float = 1.0) -> list[Persona]:
    """La nómina ficticia del tenant, siempre la misma para la misma escala."""
    datos = POBLACIONES[schema]
    azar = random.Random(f"capacita-demo-{schema}")
    cuerpo = RUT_BASE + list(POBLACIONES).index(schema) * RUT_PASO
    personas = []
    for sigla, unidad, _region, _dot, n in datos["unidades"]:
        for _i in range(_cantidad(n, escala)):
            suerte = azar.random()
            if suerte < 0.06:
                sexo = ""  # sin informar en la nómina: «No informado»
            elif suerte < 0.07:
                sexo = "Otro"
            else:
                sexo = "F" if suerte < 0.53 else "M"
            lista = {"F": NOMBRES_F, "M": NOMBRES_M}.get(sexo, NOMBRES_F + NOMBRES_M)
            personas.append(
                Persona(
                    rut=_rut(cuerpo),
                    nombres=azar.choice(lista),
                    apellidos=f"{azar.choice(APELLIDOS)} {azar.choice(APELLIDOS)}",
                    sexo=sexo,
                    sigla=sigla,
                    unidad=unidad,
                    cargo=azar.choice(datos["cargos"]),
                )
            )
            cuerpo += 1
    compartidas = COMPARTIDAS.get(schema)
    if compartidas:
        # Las mismas personas (mismo RUT) que en la nómina del otro tenant.
        origen, unidad_origen, unidad_aqui, k = compartidas
        otras = [
            p
            for p in personas_generar(origen, escala=escala)
            if p.unidad == unidad_origen
        ]
        aqui = [i for i, p in enumerate(personas) if p.unidad == unidad_aqui]
        for i, otra in zip(aqui, otras[: _cantidad(k, escala)], strict=False):
            personas[i] = Persona(
                rut=otra.rut,
                nombres=otra.nombres,
                apellidos=otra.apellidos,
                sexo=otra.sexo,
                sigla=personas[i].sigla,
                unidad=unidad_aqui,
                cargo=personas[i].cargo,
            )
    return personas


@contextmanager
def en_fecha(instante: datetime) -> Iterator[None]:
    """Los servicios llamados aquí dentro ven ``timezone.now() == instante``."""
    import time_machine

    with time_machine.travel(instante, tick=False):
        yield


def momento(dia: date, hora: time = time(11, 0)) -> datetime:
    """El día a esa hora de Chile (TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(dia, hora))


def _instituciones_asegurar(datos: dict) -> dict:
    """Instituciones del tenant vinculadas a su entrada del catálogo nacional."""
    from cursos.models import Institucion
    from tenants.models import InstitucionCatalogo

    por_sigla = {}
    for codigo, nombre, sigla in datos["instituciones"]:
        catalogo = InstitucionCatalogo.objects.filter(codigo=codigo).first()
        if catalogo is None:
            raise ImproperlyConfigured(
                f"Falta «{codigo}» en el catálogo nacional: corra plan_cargar antes."
            )
        institucion, _c = Institucion.objects.get_or_create(
            nombre=nombre, defaults={"sigla": sigla, "catalogo": catalogo}
        )
        if institucion.catalogo_id != catalogo.pk or institucion.sigla != sigla:
            institucion.catalogo = catalogo
            institucion.sigla = sigla
            # Al vincularla, lo ya contado pasa a la institución del catálogo.
            institucion.save(update_fields=["catalogo", "sigla"])
        por_sigla[sigla] = institucion
    return por_sigla


def _unidades_asegurar(datos: dict, instituciones: dict, escala: float) -> dict:
    from cursos.models import Dotacion, Unidad
    from cursos.services.nomina import dotacion_guardar

    unidades = {}
    existentes = {
        (d.unidad_id, d.anio): d.total for d in Dotacion.objects.filter(anio__in=ANIOS)
    }
    for n, (sigla, nombre, region, dot, personas) in enumerate(datos["unidades"]):
        unidad, _c = Unidad.objects.get_or_create(
            institucion=instituciones[sigla], nombre=nombre, defaults={"region": region}
        )
        unidades[nombre] = unidad
        base = max(round(dot * escala), _cantidad(personas, escala) + 1)
        for anio, factor in CRECIMIENTO.items():
            total = round(base * factor)
            if existentes.get((unidad.pk, anio)) == total:
                continue
            mujeres = round(total * (0.32 + 0.04 * (n % 5)))
            dotacion_guardar(
                unidad=unidad,
                anio=anio,
                total=total,
                femenino=mujeres,
                masculino=total - mujeres,
            )
    return unidades


def _funcionario_ubicar(unidad) -> None:
    """La cuenta «funcionario» de la demo trabaja en la primera unidad: su curso
    cuenta en una unidad con dotación, no en la línea «sin dotación informada»."""
    from cursos.models import Perfil
    from cursos.services.perfiles import perfil_actualizar

    usuario = get_user_model().objects.filter(username="funcionario").first()
    if (
        usuario is None
        or Perfil.objects.filter(usuario=usuario, unidad__isnull=False).exists()
    ):
        return
    perfil_actualizar(
        usuario=usuario,
        first_name=usuario.first_name,
        last_name=usuario.last_name,
        rut=None,
        sexo="femenino",
        unidad=unidad,
        region=unidad.region,
    )


def _nomina_planilla(personas: list[Persona]) -> BytesIO:
    from cursos.services.nomina import COLUMNAS
    from lib.planillas import fila_segura

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Nómina")
    hoja.append(fila_segura(hoja, COLUMNAS))
    for p in personas:
        cuerpo, _g, dv = p.rut.partition("-")
        rut = f"{int(cuerpo):,}".replace(",", ".") + f"-{dv}"
        fila = [rut, p.nombres, p.apellidos, "", p.sexo, p.sigla, p.unidad, p.cargo]
        hoja.append(fila_segura(hoja, fila))
    salida = BytesIO()
    libro.save(salida)
    salida.seek(0)
    return salida


def _nomina_asegurar(personas: list[Persona], resultado: Resultado) -> dict:
    """Importa la nómina si falta alguien; devuelve RUT → usuario."""
    from cursos.models import Perfil
    from cursos.services.nomina import nomina_importar

    ruts = [p.rut for p in personas]
    if Perfil.objects.filter(rut__in=ruts).count() < len(ruts):
        importacion = nomina_importar(_nomina_planilla(personas))
        if importacion.errores:
            raise ImproperlyConfigured(f"Nómina de la demo: {importacion.errores[:3]}")
        resultado.personas_nuevas += importacion.creadas
    return {
        perfil.rut: perfil.usuario
        for perfil in Perfil.objects.filter(rut__in=ruts).select_related("usuario")
    }


def _fechas_cursos(azar: random.Random, cuantos: int, hoy: date) -> list[date]:
    """Fechas crecientes: la primera en cualquier día del periodo, las siguientes
    de dos a diez semanas después; nunca hoy ni después."""
    ultimo = hoy - timedelta(days=1)
    dia = PRIMER_DIA + timedelta(days=azar.randrange((ultimo - PRIMER_DIA).days))
    fechas = []
    for _i in range(cuantos):
        if dia > ultimo:
            break
        fechas.append(dia)
        dia += timedelta(days=azar.randint(14, 70))
    return fechas


def _cursos_completar(
    schema: str, datos: dict, personas: list[Persona], usuarios: dict, resultado
) -> None:
    from certificados.services import certificado_emitir
    from cursos.models import CursoPage, Inscripcion
    from demo.evaluaciones import curso_demo_aprobar

    slugs = datos["trayectoria"]
    cursos = {c.slug: c for c in CursoPage.objects.live().filter(slug__in=slugs)}
    faltan = set(slugs) - set(cursos)
    if faltan:
        raise ImproperlyConfigured(f"Faltan cursos de la demo en {schema}: {faltan}")
    hechos = set(
        Inscripcion.objects.filter(
            curso__in=cursos.values(), completado_at__isnull=False
        ).values_list("usuario_id", "curso_id")
    )
    hoy = timezone.localdate()
    restringidos = datos.get("complejos_curso")
    for persona in personas:
        # Un azar por persona: lo ya completado no cambia lo que sigue (idempotencia).
        azar = random.Random(f"capacita-demo-cursos-{schema}-{persona.rut}")
        cuantos = azar.choices(range(len(datos["prefijos"])), datos["prefijos"])[0]
        fechas = _fechas_cursos(azar, cuantos, hoy)
        if restringidos is not None and len(fechas) == len(slugs):
            fechas = _fechas_restringir(azar, fechas, persona, restringidos, hoy)
        usuario = usuarios[persona.rut]
        for slug, dia in zip(slugs, fechas, strict=False):
            curso = cursos[slug]
            hora = time(9 + azar.randrange(9), 15)
            if (usuario.pk, curso.pk) in hechos:
                continue
            with en_fecha(momento(dia, hora)):
                inscripcion = curso_demo_aprobar(usuario=usuario, curso=curso)
                if inscripcion.completado_at is None:
                    raise ImproperlyConfigured(
                        f"La demo no pudo completar {slug} en {schema}."
                    )
                certificado_emitir(inscripcion_id=inscripcion.pk)
            resultado.completados += 1


def _fechas_restringir(azar, fechas, persona, restringidos, hoy) -> list[date]:
    """El último curso (el de complejos, E1-A2.3) solo en las unidades y años que
    declara ``complejos_curso``: así el avance de la meta es el que se quiere
    mostrar. Sin año para la unidad, la persona no lo toma."""
    anios = [a for a, unidades in restringidos.items() if persona.unidad in unidades]
    salto = timedelta(days=azar.randrange(120))
    if not anios:
        return fechas[:-1]
    desde = max(fechas[-2] + timedelta(days=14), date(anios[0], 1, 1))
    dia = desde + salto
    if dia.year != anios[0] or dia >= hoy:
        return fechas[:-1]
    return [*fechas[:-1], dia]


def jornadas_de(schema: str, datos: dict) -> list[tuple]:
    jornadas = list(datos["jornadas"])
    regiones = ["valparaiso", "metropolitana", "magallanes", "los_lagos"]
    for anio, meses in datos.get("meses_e1_a1_10", {}).items():
        for mes in meses:
            # Una de cada dos también es una jornada para el sector privado
            # (E1-A3.1): las dicta SERNATUR a los prestadores.
            acciones = ["E1-A1.10"] + (["E1-A3.1"] if mes % 2 else [])
            modalidad = "online" if mes in (1, 2, 7) else "presencial"
            jornadas.append(
                (
                    date(anio, mes, 8 + mes),
                    f"Turismo sin trata ({mes:02d}/{anio})",
                    acciones,
                    modalidad,
                    18,
                    regiones[mes % len(regiones)],
                )
            )
    return jornadas


def _jornadas_registrar(
    schema: str,
    datos: dict,
    personas: list[Persona],
    usuarios: dict,
    escala: float,
    resultado: Resultado,
) -> None:
    from cursos.choices import Region
    from cursos.models import Asistencia, Jornada
    from cursos.services.jornadas import asistencia_registrar, jornada_guardar

    encargado = get_user_model().objects.filter(username="encargado").first()
    regiones = {u[1]: u[2] for u in datos["unidades"]}
    hoy = timezone.localdate()
    for dia, tema, acciones, modalidad, n, a_quien in jornadas_de(schema, datos):
        if dia >= hoy:
            continue
        inicio = momento(dia, HORA_JORNADA)
        if a_quien in Region.values:
            # Jornada abierta a todo el tenant, dictada en esa región.
            elegibles, region = personas, a_quien
        else:
            elegibles = [p for p in personas if a_quien in ("", p.sigla, p.unidad)]
            region = regiones.get(a_quien) or regiones[elegibles[0].unidad]
        jornada = Jornada.objects.filter(tema=tema, inicio=inicio).first()
        if jornada is None:
            with en_fecha(inicio - timedelta(days=21)):
                jornada = jornada_guardar(
                    jornada=Jornada(
                        tema=tema,
                        inicio=inicio,
                        fin=inicio + DURACION_JORNADA,
                        lugar="" if modalidad == "online" else "Sala de capacitación",
                        region=region,
                        modalidad=modalidad,
                        horas=Decimal("2.5"),
                        relator="Equipo MITP",
                        acciones_plan=acciones,
                    ),
                    creada_por=encargado,
                )
            resultado.jornadas += 1
        ya = set(jornada.asistencias.values_list("usuario_id", flat=True))
        azar = random.Random(f"capacita-demo-{schema}-{tema}-{dia}")
        presentes = azar.sample(elegibles, min(len(elegibles), _cantidad(n, escala)))
        with en_fecha(inicio + DURACION_JORNADA):
            for persona in presentes:
                usuario = usuarios[persona.rut]
                if usuario.pk in ya:
                    continue
                asistencia_registrar(
                    jornada=jornada,
                    usuario=usuario,
                    origen=Asistencia.Origen.PLANILLA,
                    registrada_por=encargado,
                )
                resultado.asistencias += 1


@contextmanager
def _sin_bitacora_info() -> Iterator[None]:
    """Sin una línea de log por cada curso completado: son miles en la demo."""
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def poblacion_demo_asegurar(*, poblacion: str, escala: float = 1.0) -> Resultado:
    """Deja en el tenant activo la población ``poblacion`` (una clave de
    ``POBLACIONES``: el schema del tenant de demo). Idempotente.

    ``escala`` achica la nómina, la dotación y las jornadas (las pruebas usan 0,1).
    Llamar dentro de ``tenant_context`` del tenant, con el plan ya cargado.
    """
    schema = poblacion
    datos = POBLACIONES[schema]
    resultado = Resultado()
    # Una transacción por tenant: miles de escrituras con un solo commit (y si algo
    # falla no queda un tenant a medias; otra pasada lo completa).
    with _sin_bitacora_info(), transaction.atomic():
        instituciones = _instituciones_asegurar(datos)
        unidades = _unidades_asegurar(datos, instituciones, escala)
        _funcionario_ubicar(next(iter(unidades.values())))
        personas = personas_generar(schema, escala=escala)
        usuarios = _nomina_asegurar(personas, resultado)
        _cursos_completar(schema, datos, personas, usuarios, resultado)
        _jornadas_registrar(schema, datos, personas, usuarios, escala, resultado)
    return resultado
