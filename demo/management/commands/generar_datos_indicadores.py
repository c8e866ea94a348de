"""Datos sintéticos para medir indicadores: N tenants × M personas, en el schema public.

Escribe hechos y dotación directamente en las tablas públicas: es lo que leen el
servicio de indicadores y el tablero MITP. Los tenants «sintNNN» son solo filas, sin
schema, así que ``migrate_schemas`` fallaría sobre ellos: úselo solo en una base de
benchmark (p. ej. capacita_ib), nunca en la de la demo. Como crear_demo, se niega a
correr fuera de una base de desarrollo (demo/guardia.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo.guardia import base_de_desarrollo_exigir
from indicadores.hechos import persona_clave
from indicadores.models import DotacionNacional, Hecho, ModalidadHecho
from tenants.models import InstitucionCatalogo, Tenant

ACCIONES = [
    ["E1-A2.3"],
    ["E3-A1.2", "E1-A2.1"],
    ["E1-A1.10", "E1-A3.1"],
    ["E2-A2.1", "E1-A3.1"],
    ["E2-A2.2"],
    ["E2-A2.3"],
    ["E3-A1.1", "E1-A2.4"],
]
REGIONES = ["arica", "tarapaca", "antofagasta", "metropolitana", "biobio", "los_lagos"]
SEXOS = ["femenino", "masculino", "femenino", "masculino", "no_informa", ""]
# Institución del catálogo nacional de cada tenant sintético (por turno): así los
# hechos pasan por la atribución por destinatarios como los reales.
CATALOGO = [
    "sag",
    "carabineros",
    "prestadores-turismo",
    "spd-apoyo-victimas",
    "mejor-ninez",
    "minrel",
    "direccion-del-trabajo",
    "pdi",
    "mesa-regional-arica",
    "colegios",
]
# Una de cada SIN_DOTACION unidades no informa dotación (su propia línea en el %).
SIN_DOTACION = 10


class Command(BaseCommand):
    help = "Genera hechos y dotación sintéticos en public (N tenants × M personas)."

    def add_arguments(self, parser):
        parser.add_argument("--tenants", type=int, default=50)
        parser.add_argument("--personas", type=int, default=2000)
        parser.add_argument("--unidades", type=int, default=20)
        parser.add_argument("--semilla", type=int, default=6)

    def handle(self, *args, **o):
        base_de_desarrollo_exigir(comando="generar_datos_indicadores")
        connection.set_schema_to_public()
        azar = random.Random(o["semilla"])
        self.catalogo = dict(
            InstitucionCatalogo.objects.filter(codigo__in=CATALOGO).values_list(
                "codigo", "pk"
            )
        )
        total = 0
        for t in range(o["tenants"]):
            schema = f"sint{t:03d}"
            with transaction.atomic():
                tenant = Tenant.objects.filter(schema_name=schema).first()
                if tenant is None:
                    tenant = Tenant(
                        schema_name=schema,
                        nombre=f"Sintético {t}",
                        grupo="fronteras" if t % 5 == 0 else "policias",
                    )
                    # Solo filas en public: sin schema (no se migra ni se clona).
                    tenant.auto_create_schema = False
                    tenant.save()
                Hecho.objects.filter(tenant=tenant).delete()
                DotacionNacional.objects.filter(tenant=tenant).delete()
                total += self._tenant(tenant, t, azar, o)
        self.stdout.write(self.style.SUCCESS(f"{total} hechos generados."))

    def _tenant(self, tenant, indice: int, azar, o) -> int:
        schema = tenant.schema_name
        unidades = o["unidades"]
        catalogo_id = self.catalogo.get(CATALOGO[indice % len(CATALOGO)])
        por_unidad = o["personas"] // unidades + 10
        DotacionNacional.objects.bulk_create(
            DotacionNacional(
                tenant=tenant,
                unidad_id_tenant=u,
                unidad_ref=f"{schema}:{u}",
                unidad=f"Unidad {u}",
                institucion=f"Institución {u % 3}",
                institucion_ref=f"{schema}:{u % 3}",
                region=REGIONES[u % len(REGIONES)],
                anio=anio,
                total=por_unidad,
                femenino=por_unidad // 2 if u % 2 else None,
                masculino=por_unidad - por_unidad // 2 if u % 2 else None,
                catalogo_id=catalogo_id,
            )
            for u in range(unidades)
            if u % SIN_DOTACION != SIN_DOTACION - 1
            for anio in (2024, 2025, 2026)
        )
        hechos = []
        for p in range(o["personas"]):
            # Un 5 % de las personas repite RUT en otro tenant (deduplicación nacional).
            n = indice * o["personas"] + p
            if azar.random() < 0.05:
                n = azar.randrange(o["tenants"] * o["personas"])
            clave = persona_clave(rut=None, schema_name="sint", usuario_id=n)
            u = p % unidades
            for k in range(azar.choice([1, 2, 2, 3])):
                acciones = ACCIONES[(p + k) % len(ACCIONES)]
                fecha = date(2024, 1, 1) + timedelta(days=azar.randrange(900))
                jornada = k % 2 == 1
                hechos.append(
                    Hecho(
                        tenant=tenant,
                        tipo="jornada" if jornada else "curso",
                        origen_id=p * 10 + k,
                        persona=clave,
                        fecha=fecha,
                        institucion=f"Institución {u % 3}",
                        institucion_ref=f"{schema}:{u % 3}",
                        catalogo_id=catalogo_id,
                        unidad=f"Unidad {u}",
                        unidad_ref=f"{schema}:{u}",
                        es_complejo=tenant.grupo == "fronteras",
                        region=REGIONES[u % len(REGIONES)],
                        sexo=SEXOS[p % len(SEXOS)],
                        modalidad=(
                            ModalidadHecho.PRESENCIAL
                            if jornada
                            else ModalidadHecho.AUTOINSTRUCCIONAL
                        ),
                        actividad_ref=(
                            f"jornada:{schema}:{fecha.toordinal() % 40}"
                            if jornada
                            else f"curso:{schema}:{k}:{fecha.year}"
                        ),
                        actividad=f"Actividad {k}",
                        acciones=acciones,
                    )
                )
        Hecho.objects.bulk_create(hechos, batch_size=5000)
        return len(hechos)
