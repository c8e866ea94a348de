"""El bloqueo (requirements*.txt) cubre lo que declara pyproject.toml.

`make install` y CI instalan solo desde requirements-dev.txt: una dependencia agregada a
pyproject.toml sin `make lock` no llegaría a ninguna instalación nueva.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RAIZ = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def fijadas(archivo: str) -> dict[str, str]:
    texto = (RAIZ / archivo).read_text(encoding="utf-8")
    return {canonicalize_name(n): v for n, v in PIN.findall(texto)}


def declaradas(*, dev: bool) -> list[Requirement]:
    proyecto = tomllib.loads((RAIZ / "pyproject.toml").read_text())["project"]
    lineas = list(proyecto["dependencies"])
    if dev:
        lineas += proyecto["optional-dependencies"]["dev"]
    return [Requirement(linea) for linea in lineas]


class BloqueoTests(SimpleTestCase):
    def test_cada_dependencia_declarada_esta_fijada_en_su_rango(self):
        for archivo, dev in (
            ("requirements.txt", False),
            ("requirements-dev.txt", True),
        ):
            versiones = fijadas(archivo)
            for requisito in declaradas(dev=dev):
                with self.subTest(archivo=archivo, paquete=requisito.name):
                    version = versiones.get(canonicalize_name(requisito.name))
                    self.assertIsNotNone(version, "falta: correr `make lock`")
                    self.assertTrue(
                        requisito.specifier.contains(version, prereleases=True),
                        f"{version} fuera de {requisito.specifier}: `make lock`",
                    )

    def test_produccion_es_parte_de_desarrollo_con_las_mismas_versiones(self):
        produccion, desarrollo = (
            fijadas("requirements.txt"),
            fijadas("requirements-dev.txt"),
        )
        self.assertTrue(produccion)
        distintas = {
            n: (v, desarrollo.get(n))
            for n, v in produccion.items()
            if desarrollo.get(n) != v
        }
        self.assertEqual(distintas, {})

    def test_cada_version_fijada_lleva_hash(self):
        for archivo in ("requirements.txt", "requirements-dev.txt"):
            texto = (RAIZ / archivo).read_text(encoding="utf-8")
            bloques = re.split(r"\n(?=[A-Za-z0-9])", texto)
            sin_hash = [
                b.split()[0] for b in bloques if PIN.match(b) and "--hash=" not in b
            ]
            with self.subTest(archivo=archivo):
                self.assertEqual(sin_hash, [])
