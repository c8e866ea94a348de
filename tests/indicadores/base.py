"""Un conjunto de datos construido a mano, con cifras esperadas exactas.

Año 2025, tenant alfa (policías) y beta (complejos fronterizos):

- Ana (RUT R1, F, unidad U1 de alfa) completa el curso «¿Qué es la trata?» (en línea) y
  asiste a la jornada J1 (presencial, E3-A1.2).
- Bruno (R2, M, unidad U2 de alfa) asiste a J1.
- En beta, la misma Ana (mismo RUT R1) y Carla (R3, F) asisten a J2 (en línea
  sincrónica, E1-A2.3) en el complejo Chacalluta.

Dotación 2025 de alfa: U1 = 10, U2 = 5.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from cursos.models import Asistencia, Jornada
from cursos.services.jornadas import asistencia_registrar, jornada_guardar
from cursos.services.nomina import dotacion_guardar
from indicadores.plan import plan_cargar
from tenants.models import InstitucionCatalogo
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    InstitucionFactory,
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    curso_por_clave,
    rut_valido,
)

SCL = ZoneInfo("America/Santiago")
R1, R2, R3 = rut_valido(11_111_111), rut_valido(12_222_222), rut_valido(13_333_333)


def fecha(*args) -> datetime:
    return datetime(*args, tzinfo=SCL)


def persona(*, rut, nombre, sexo, unidad):
    usuario = UsuarioFactory(first_name=nombre, last_name="Prueba")
    PerfilFactory(usuario=usuario, rut=rut, sexo=sexo, unidad=unidad)
    return usuario


def jornada_crear(*, tema, acciones, inicio, modalidad="presencial", region=""):
    return jornada_guardar(
        jornada=Jornada(
            tema=tema,
            acciones_plan=acciones,
            inicio=inicio,
            fin=inicio + timedelta(hours=3),
            modalidad=modalidad,
            region=region,
            lugar="Sala 1",
        )
    )


class IndicadoresTestCase(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        plan_cargar()
        with self.en_a():
            inst = InstitucionFactory(
                nombre="Carabineros de Chile",
                sigla="CAR",
                catalogo=InstitucionCatalogo.objects.get(codigo="carabineros"),
            )
            self.u1 = UnidadFactory(institucion=inst, nombre="U1", region="arica")
            self.u2 = UnidadFactory(institucion=inst, nombre="U2", region="tarapaca")
            self.ana = persona(rut=R1, nombre="Ana", sexo="femenino", unidad=self.u1)
            self.bruno = persona(
                rut=R2, nombre="Bruno", sexo="masculino", unidad=self.u2
            )
            dotacion_guardar(unidad=self.u1, anio=2025, total=10, femenino=6)
            dotacion_guardar(unidad=self.u2, anio=2025, total=5)
            self.curso = curso_por_clave("que-es-la-trata")
            with time_machine.travel(fecha(2025, 3, 10, 12), tick=False):
                self.inscripcion = curso_completar(self.ana, self.curso)
            self.j1 = jornada_crear(
                tema="Jornada policías",
                acciones=["E3-A1.2"],
                inicio=fecha(2025, 4, 2, 9),
                region="arica",
            )
            for u in (self.ana, self.bruno):
                asistencia_registrar(
                    jornada=self.j1, usuario=u, origen=Asistencia.Origen.PLANILLA
                )
        with self.en_b():
            inst_b = InstitucionFactory(
                nombre="Servicio Agrícola y Ganadero",
                catalogo=InstitucionCatalogo.objects.get(codigo="sag"),
            )
            self.chacalluta = UnidadFactory(
                institucion=inst_b, nombre="Chacalluta", region="arica"
            )
            self.ana_b = persona(
                rut=R1, nombre="Ana", sexo="femenino", unidad=self.chacalluta
            )
            self.carla = persona(
                rut=R3, nombre="Carla", sexo="femenino", unidad=self.chacalluta
            )
            self.j2 = jornada_crear(
                tema="Jornada fronteras",
                acciones=["E1-A2.3"],
                inicio=fecha(2025, 5, 5, 15),
                modalidad="online",
            )
            for u in (self.ana_b, self.carla):
                asistencia_registrar(
                    jornada=self.j2, usuario=u, origen=Asistencia.Origen.QR
                )
