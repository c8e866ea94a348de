"""Un PostgreSQL privado por sesión, con la base de prueba (public, plantilla, alfa y
beta) copiada por pg_dump: las fallas se provocan ahí, nunca en el servidor
compartido, y lo que escriben los procesos no queda en la base de las demás pruebas."""

from __future__ import annotations

import os
import pwd
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from .procesos import PostgresPrivado, pg_bin, pg_binarios_elegir


def _volcar(destino: Path) -> None:
    datos = connection.settings_dict
    orden = [pg_bin("pg_dump"), "-Fc", "-f", str(destino), "-d", datos["NAME"]]
    orden += ["-h", datos["HOST"] or "127.0.0.1", "-p", str(datos["PORT"] or 5432)]
    orden += ["-U", datos["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": datos["PASSWORD"] or ""}
    subprocess.run(orden, check=True, capture_output=True, env=env)


def _usuario_postgres() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def pg_privado(django_db_setup, django_db_blocker):
    with tempfile.TemporaryDirectory() as tmp:
        volcado = Path(tmp) / "prueba.dump"
        with django_db_blocker.unblock():
            connection.ensure_connection()
            pg_binarios_elegir(connection.pg_version)
            _volcar(volcado)
        if os.geteuid() == 0 and not _usuario_postgres():
            pytest.skip("initdb no corre como root y no hay usuario postgres")
        pg = PostgresPrivado()
        try:
            pg.iniciar()
            pg.restaurar(volcado)
            yield pg
        finally:
            pg.eliminar()


@pytest.fixture
def base_privada(pg_privado, request):
    """Una base propia por prueba, copiada del molde restaurado (CREATE DATABASE …
    TEMPLATE, menos de un segundo)."""
    nombre = "".join(c if c.isalnum() else "_" for c in request.node.name)[:40]
    return pg_privado.base_copiar(f"f_{uuid.uuid4().hex[:8]}_{nombre.lower()}")


@pytest.fixture
def tmp_fallas(tmp_path):
    return tmp_path
