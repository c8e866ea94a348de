import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.base import tenants_prueba_asegurar

# Va al final de la sesión: revisa la bitácora que escribió toda la suite.
PRUEBA_BITACORA = "tests/seguridad/test_bitacora_sin_rut.py"
# Prefijo de las carpetas temporales del proyecto en el directorio temporal del sistema.
PREFIJO_TMP = "capacita-"
# Estado de la carpeta temporal de la corrida (config/settings/test.py: PRUEBAS_TMP).
_tmp: dict = {}


def _del_proyecto(directorio: Path) -> set[str]:
    return {p.name for p in directorio.iterdir() if p.name.startswith(PREFIJO_TMP)}


def _tmp_preparar() -> None:
    """Crea la carpeta de la corrida y la vuelve el directorio temporal de este proceso
    y de sus subprocesos (TMPDIR): todo ``tempfile.mkdtemp`` de las pruebas, de pytest
    (``tmp_path``), de Chromium o de un worker cae adentro y se borra al terminar."""
    from django.conf import settings

    if getattr(settings, "PRUEBAS_TMP", None) is None:
        return
    carpeta = Path(settings.PRUEBAS_TMP)
    sistema = Path(tempfile.gettempdir())
    _tmp.update(
        carpeta=carpeta,
        propia=not carpeta.exists(),
        sistema=sistema,
        antes=_del_proyecto(sistema),
        tempdir=tempfile.tempdir,
        TMPDIR=os.environ.get("TMPDIR"),
    )
    (carpeta / "media").mkdir(parents=True, exist_ok=True)
    # El PostgreSQL privado de tests/fallas corre como el usuario postgres y debe
    # poder atravesar esta carpeta hasta la suya (que es solo de él).
    carpeta.chmod(0o755)
    tempfile.tempdir = str(carpeta)
    os.environ["TMPDIR"] = str(carpeta)


def _tmp_limpiar() -> None:
    if not _tmp:
        return
    tempfile.tempdir = _tmp["tempdir"]
    if _tmp["TMPDIR"] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = _tmp["TMPDIR"]
    if _tmp["propia"]:
        shutil.rmtree(_tmp["carpeta"], ignore_errors=True)
    _tmp["sobrantes"] = sorted(_del_proyecto(_tmp["sistema"]) - _tmp["antes"])


def pytest_sessionstart(session):
    """Vacía la bitácora de pruebas (config/settings/test.py): la revisión final
    solo debe ver lo que escribió esta sesión."""
    from django.conf import settings

    bitacora = getattr(settings, "BITACORA_PRUEBAS", None)
    if bitacora is not None:
        Path(bitacora).parent.mkdir(parents=True, exist_ok=True)
        Path(bitacora).write_text("", encoding="utf-8")
    _tmp_preparar()


def pytest_sessionfinish(session, exitstatus):
    _tmp_limpiar()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Avisa a gritos si quedaron carpetas temporales del proyecto en el sistema.

    No falla la corrida: en una máquina compartida otra corrida simultánea también
    crea carpetas ``capacita-*``, y esta no sabe de quién son.
    """
    sobrantes = _tmp.get("sobrantes")
    if sobrantes:
        terminalreporter.write_sep(
            "!",
            f"{len(sobrantes)} carpetas temporales nuevas en {_tmp['sistema']}",
            red=True,
            bold=True,
        )
        for nombre in sobrantes:
            terminalreporter.write_line(f"  {_tmp['sistema'] / nombre}", red=True)
        terminalreporter.write_line(
            "Una prueba escribe fuera de PRUEBAS_TMP (o corre otra suite a la vez).",
            red=True,
        )


def pytest_collection_modifyitems(session, config, items):
    ultimas = [i for i in items if i.nodeid.startswith(PRUEBA_BITACORA)]
    if ultimas:
        items[:] = [i for i in items if i not in ultimas] + ultimas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Crea una vez por sesión la plantilla y los tenants alfa y beta (con commit).

    Las clases de prueba corren cada prueba dentro de una transacción que se revierte,
    así que los tenants sobreviven y sus datos de prueba no.
    """
    with django_db_blocker.unblock():
        tenants_prueba_asegurar()


@pytest.fixture(autouse=True)
def _cache_vacia():
    """Cada prueba parte con la caché vacía: lo guardado por otra (tenant por host,
    Site, sesiones) no sobrevive a la transacción que se revirtió."""
    from django.core.cache import cache

    cache.clear()
    yield
