"""Carga el currículo versionado (cursos/curriculo/*.yaml) como páginas de Wagtail.

Cada curso termina en una evaluación final calificada, con su banco en
``cursos/curriculo/evaluaciones/<slug>.yaml``. Al leer se verifica que cada curso
tenga la suya y que las horas declaradas sean los minutos de las lecciones más el
tiempo de la evaluación: si no, la carga falla con un mensaje que dice qué corregir.

La plantilla recibe las rutas para «todas» las audiencias, así cada tenant clonado parte
con ellas; al crear un tenant se agregan las rutas propias de su grupo. Cada ruta lleva
su versión: si la del archivo no es mayor que la cargada, no se toca nada. El
``version:`` de cada curso es su versión (cursos.VersionCurso): «1.0» al cargarlo por
primera vez; subirla a «2.0» publica una versión mayor.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page

from content.models import HomePage

from ..models import CursoPage, LeccionPage, RutaPage
from .versiones import version_curriculo_sincronizar

logger = logging.getLogger(__name__)

DIRECTORIO = Path(__file__).resolve().parent.parent / "curriculo"
TODAS = "todas"


class CurriculoInvalido(ImproperlyConfigured):
    """El currículo en disco no se puede cargar tal como está."""


PaginaT = TypeVar("PaginaT", bound=Page)


def _yaml_leer(archivo: Path) -> dict[str, Any]:
    with archivo.open(encoding="utf-8") as fh:
        datos: dict[str, Any] = yaml.safe_load(fh)
    return datos


def rutas_leer(directorio: Path | None = None) -> list[dict[str, Any]]:
    """Rutas del disco; cada curso trae su banco en ``curso["evaluacion"]``.

    Lanza CurriculoInvalido si un curso no tiene evaluación final válida o si sus
    horas no cuadran.
    """
    from evaluaciones.banco import banco_errores, horas_errores

    directorio = directorio or DIRECTORIO
    rutas = [_yaml_leer(a) for a in sorted(directorio.glob("*.yaml"))]
    errores = []
    for ruta in rutas:
        for curso in ruta["cursos"]:
            archivo = directorio / "evaluaciones" / f"{curso['slug']}.yaml"
            curso["evaluacion"] = _yaml_leer(archivo) if archivo.exists() else None
            problemas = banco_errores(curso=curso, banco=curso["evaluacion"])
            if not problemas:
                problemas = horas_errores(curso=curso, banco=curso["evaluacion"])
            errores.extend(problemas)
    if errores:
        raise CurriculoInvalido(
            "El currículo no se puede cargar:\n- " + "\n- ".join(errores)
        )
    return rutas


def _bloques(bloques: list[dict[str, Any]]) -> list[dict[str, Any]]:
    convertidos = []
    for bloque in bloques:
        tipo = bloque["tipo"]
        if tipo == "texto":
            valor = bloque["html"]
        else:
            valor = {k: v for k, v in bloque.items() if k != "tipo"}
        convertidos.append({"type": tipo, "value": valor})
    return convertidos


def _objetivos_html(objetivos: list[str]) -> str:
    items = "".join(f"<li>{escape(o)}</li>" for o in objetivos)
    return f"<ul>{items}</ul>"


def _publicar(
    padre: Page, modelo: type[PaginaT], clave: str, campos: dict[str, Any]
) -> PaginaT:
    # Page de Wagtail no trae tipos: su manager es Any.
    pagina: PaginaT | None = modelo.objects.filter(clave_curriculo=clave).first()
    if pagina is None:
        creada: PaginaT = padre.add_child(
            instance=modelo(clave_curriculo=clave, **campos)
        )
        pagina = creada
    else:
        for nombre, valor in campos.items():
            setattr(pagina, nombre, valor)
    pagina.save_revision().publish()
    return pagina


def _ruta_cargar(portada: HomePage, datos: dict[str, Any]) -> RutaPage:
    from evaluaciones.banco import evaluacion_final_cargar

    ruta = _publicar(
        portada,
        RutaPage,
        datos["slug"],
        {
            "title": datos["titulo"],
            "slug": datos["slug"],
            "descripcion": f"<p>{escape(datos['descripcion'])}</p>",
            "audiencia": ", ".join(datos["audiencias"]),
            "version_curriculo": datos["version"],
        },
    )
    for curso_datos in datos["cursos"]:
        curso = _publicar(
            ruta,
            CursoPage,
            curso_datos["slug"],
            {
                "title": curso_datos["titulo"],
                "slug": curso_datos["slug"],
                "resumen": curso_datos["resumen"],
                "objetivos": _objetivos_html(curso_datos["objetivos"]),
                # El YAML da un float (1.1); el campo guarda un decimal exacto.
                "horas": Decimal(str(curso_datos["horas"])),
                "modalidad": curso_datos["modalidad"],
                "acciones_plan": curso_datos["acciones_plan"],
                "version": curso_datos["version"],
                "vigencia_meses": curso_datos["vigencia_meses"],
            },
        )
        # El «version:» del curso: la primera carga crea su versión; una mayor en el
        # archivo («2.0») la publica como versión mayor (issue 16).
        version_curriculo_sincronizar(curso=curso, etiqueta=str(curso_datos["version"]))
        evaluacion_final_cargar(
            curso=curso, datos_curso=curso_datos, banco=curso_datos["evaluacion"]
        )
        for leccion in curso_datos["lecciones"]:
            _publicar(
                curso,
                LeccionPage,
                f"{curso_datos['slug']}/{leccion['slug']}",
                {
                    "title": leccion["titulo"],
                    "slug": leccion["slug"],
                    "minutos": leccion["minutos"],
                    "obligatoria": leccion["obligatoria"],
                    "cuerpo": _bloques(leccion["bloques"]),
                },
            )
    return ruta


def _prerrequisitos_enlazar(rutas: list[dict[str, Any]]) -> None:
    cursos = {c.clave_curriculo: c for c in CursoPage.objects.all()}
    for datos in rutas:
        for curso_datos in datos["cursos"]:
            curso = cursos[curso_datos["slug"]]
            requeridos = [
                cursos[s] for s in curso_datos["prerrequisitos"] if s in cursos
            ]
            curso.prerrequisitos.set(requeridos)
            curso.save_revision().publish()


@transaction.atomic
def curriculo_cargar(*, grupo: str | None) -> list[str]:
    """Carga en el schema activo las rutas de ``grupo`` (y las de todas las audiencias).

    Con ``grupo=None`` carga solo las rutas comunes (la plantilla). Devuelve las claves
    de las rutas creadas o actualizadas.
    """
    portada = HomePage.objects.get()
    cargadas = {r.clave_curriculo: r.version_curriculo for r in RutaPage.objects.all()}
    rutas = [
        r
        for r in rutas_leer()
        if TODAS in r["audiencias"] or (grupo and grupo in r["audiencias"])
    ]
    pendientes = [r for r in rutas if r["version"] > cargadas.get(r["slug"], 0)]
    for datos in pendientes:
        _ruta_cargar(portada, datos)
        logger.info("Ruta %s v%s cargada", datos["slug"], datos["version"])
    if pendientes:
        _prerrequisitos_enlazar(pendientes)
    return [r["slug"] for r in pendientes]
