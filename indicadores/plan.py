"""Carga del Plan de Acción desde indicadores/plan/*.yaml (cap. 7 de la semilla 002)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from tenants.models import InstitucionCatalogo

from .models import Accion, Eje, MetaAnual, ModalidadHecho, Plan

CARPETA = Path(__file__).resolve().parent / "plan"
ARCHIVO_PLAN = CARPETA / "plan_2023_2026.yaml"
ARCHIVO_CATALOGO = (
    Path(__file__).resolve().parent.parent
    / "tenants"
    / "catalogo"
    / "instituciones.yaml"
)


@dataclass
class ResultadoCarga:
    acciones_creadas: int = 0
    acciones_actualizadas: int = 0
    metas_creadas: int = 0
    metas_actualizadas: int = 0
    instituciones_creadas: int = 0


def catalogo_cargar(
    *, archivo: Path = ARCHIVO_CATALOGO, actualizar: bool = False
) -> int:
    """Crea las instituciones del catálogo nacional que faltan. Idempotente."""
    datos = yaml.safe_load(archivo.read_text(encoding="utf-8"))
    creadas = 0
    sectores = set(InstitucionCatalogo.Sector.values)
    tipos = set(InstitucionCatalogo.Tipo.values)
    for i in datos["instituciones"]:
        if i["sector"] not in sectores or set(i.get("tipos") or []) - tipos:
            raise ValueError(f"Sector o tipo desconocido en el catálogo: {i['codigo']}")
        campos = {
            "nombre": i["nombre"],
            "sigla": i.get("sigla") or "",
            "sector": i["sector"],
            "tipos": list(i.get("tipos") or []),
            "region": i.get("region") or "",
        }
        obj, creada = InstitucionCatalogo.objects.get_or_create(
            codigo=i["codigo"], defaults=campos
        )
        creadas += creada
        if not creada and actualizar:
            InstitucionCatalogo.objects.filter(pk=obj.pk).update(**campos)
    return creadas


def _destinatarios(a: dict) -> dict:
    """Destinatarios y modalidades de una acción, validados contra el catálogo."""
    d = a.get("destinatarios") or {}
    modalidades = list(a.get("modalidades") or [])
    if set(modalidades) - set(ModalidadHecho.values):
        raise ValueError(f"Modalidad desconocida en la acción {a['numero']}")
    if set(d.get("sectores") or []) - set(InstitucionCatalogo.Sector.values):
        raise ValueError(f"Sector desconocido en la acción {a['numero']}")
    if set(d.get("tipos") or []) - set(InstitucionCatalogo.Tipo.values):
        raise ValueError(f"Tipo desconocido en la acción {a['numero']}")
    nombradas = list(d.get("instituciones") or [])
    existentes = set(
        InstitucionCatalogo.objects.filter(codigo__in=nombradas).values_list(
            "codigo", flat=True
        )
    )
    if set(nombradas) - existentes:
        raise ValueError(
            f"Institución fuera del catálogo en la acción {a['numero']}: "
            f"{sorted(set(nombradas) - existentes)}"
        )
    return {
        "sectores": list(d.get("sectores") or []),
        "tipos": list(d.get("tipos") or []),
        "instituciones": nombradas,
        "modalidades": modalidades,
        "fundamento": (d.get("fundamento") or "").strip(),
    }


def _codigo(eje: int, numero: str) -> str:
    return f"E{eje}-A{numero}"


@transaction.atomic
def plan_cargar(*, archivo: Path = ARCHIVO_PLAN, actualizar: bool = False):
    """Crea el plan, sus ejes, acciones y metas. Idempotente.

    Sin ``actualizar`` solo agrega lo que falta: lo que la MITP editó en el admin se
    conserva. Con ``actualizar`` vuelve a copiar los textos y valores del archivo.
    """
    resultado = ResultadoCarga()
    resultado.instituciones_creadas = catalogo_cargar(actualizar=actualizar)
    datos = yaml.safe_load(archivo.read_text(encoding="utf-8"))
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
                **_destinatarios(a),
            }
            accion, creada = Accion.objects.get_or_create(
                codigo=_codigo(e["numero"], a["numero"]), defaults=campos
            )
            if creada:
                resultado.acciones_creadas += 1
            elif not actualizar and not accion.modalidades and a.get("modalidades"):
                # Acción cargada antes de que el plan declarara destinatarios.
                Accion.objects.filter(pk=accion.pk).update(**_destinatarios(a))
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
        "plazo": m["plazo"],
        "texto": m.get("texto", ""),
        "instituciones": list(m.get("instituciones") or []),
    }
    meta, creada = MetaAnual.objects.get_or_create(
        accion=accion,
        anio=m["anio"],
        unidad=m["unidad"],
        inicio=m["inicio"],
        defaults=campos,
    )
    if creada:
        resultado.metas_creadas += 1
    elif actualizar:
        for campo, valor in campos.items():
            setattr(meta, campo, valor)
        meta.full_clean()
        meta.save()
        resultado.metas_actualizadas += 1
