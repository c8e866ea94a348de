"""Carga del Plan de Acción desde indicadores/plan/*.yaml (cap. 7 de la semilla 002)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from .models import Accion, Eje, MetaAnual, Plan

CARPETA = Path(__file__).resolve().parent / "plan"
ARCHIVO_PLAN = CARPETA / "plan_2023_2026.yaml"


@dataclass
class ResultadoCarga:
    acciones_creadas: int = 0
    acciones_actualizadas: int = 0
    metas_creadas: int = 0
    metas_actualizadas: int = 0


def _codigo(eje: int, numero: str) -> str:
    return f"E{eje}-A{numero}"


@transaction.atomic
def plan_cargar(*, archivo: Path = ARCHIVO_PLAN, actualizar: bool = False):
    """Crea el plan, sus ejes, acciones y metas. Idempotente.

    Sin ``actualizar`` solo agrega lo que falta: lo que la MITP editó en el admin se
    conserva. Con ``actualizar`` vuelve a copiar los textos y valores del archivo.
    """
    datos = yaml.safe_load(archivo.read_text(encoding="utf-8"))
    resultado = ResultadoCarga()
    p = datos["plan"]
    plan, _c = Plan.objects.get_or_create(
        clave=p["clave"],
        defaults={"nombre": p["nombre"], "inicio": p["inicio"], "fin": p["fin"]},
    )
    orden = 0
    for e in datos["ejes"]:
        eje, creado = Eje.objects.get_or_create(
            plan=plan,
            numero=e["numero"],
            defaults={
                "nombre": e["nombre"],
                "objetivo": e.get("objetivo", ""),
                "institucion_coordinadora": e.get("institucion_coordinadora", ""),
            },
        )
        for a in e["acciones"]:
            orden += 1
            campos = {
                "eje": eje,
                "numero": a["numero"],
                "linea": a.get("linea", ""),
                "texto": a["texto"],
                "indicador": a["indicador"],
                "meta_texto": a.get("meta_texto", ""),
                "institucion_coordinadora": eje.institucion_coordinadora,
                "orden": orden,
            }
            accion, creada = Accion.objects.get_or_create(
                codigo=_codigo(e["numero"], a["numero"]), defaults=campos
            )
            if creada:
                resultado.acciones_creadas += 1
            elif actualizar:
                for campo, valor in campos.items():
                    setattr(accion, campo, valor)
                accion.save()
                resultado.acciones_actualizadas += 1
            for m in a["metas"]:
                _meta_cargar(accion, m, actualizar, resultado)
    return resultado


def _meta_cargar(accion: Accion, m: dict, actualizar: bool, resultado) -> None:
    campos = {
        "valor": m["valor"],
        "inicio": m["inicio"],
        "plazo": m["plazo"],
        "texto": m.get("texto", ""),
    }
    meta, creada = MetaAnual.objects.get_or_create(
        accion=accion, anio=m["anio"], unidad=m["unidad"], defaults=campos
    )
    if creada:
        resultado.metas_creadas += 1
    elif actualizar:
        for campo, valor in campos.items():
            setattr(meta, campo, valor)
        meta.full_clean()
        meta.save()
        resultado.metas_actualizadas += 1
