"""Un worker de Celery muere con SIGKILL a mitad de una tarea.

Con ``acks_late`` y ``reject_on_worker_lost`` el mensaje vuelve a la cola y otro hijo
del pool lo repite: queda exactamente un certificado, y la exportación queda completa
o no existe (se escribe en un temporal y se renombra con os.replace).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import openpyxl
import pytest

from .procesos import (
    RedisPrivado,
    ayudante,
    cifras_registrar,
    entorno,
    esperar,
    hijos,
    sql_valor,
    worker,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integracion]

NOTIFICADOS = (
    "SELECT count(*) FROM alfa.certificados_certificado"
    " WHERE inscripcion_id = %s AND correo_enviado_at IS NOT NULL"
)
ESTADO_EXPORTACION = "SELECT estado FROM public.indicadores_exportacion WHERE id = %s"


class Escenario:
    def __init__(self, base_url: str, tmp: Path, punto: str) -> None:
        self.redis = RedisPrivado()
        self.redis.iniciar()
        self.marca = tmp / "marca"
        self.exportaciones = tmp / "exportaciones"
        self.env = entorno(
            base_url,
            self.redis.url,
            FALLAS_PAUSA_EN=punto,
            FALLAS_PAUSA_MARCA=str(self.marca),
            INDICADORES_EXPORTACIONES_DIR=str(self.exportaciones),
        )
        self.worker = worker(
            self.env,
            tmp / "worker.log",
            app="tests.fallas.worker_pausado",
            pool="prefork",
        )

    def matar_en_la_pausa(self) -> float:
        """Espera a que el hijo del pool llegue a la pausa y lo mata con SIGKILL."""
        esperar(
            lambda: self.marca.exists() and self.marca.read_text(),
            plazo=40,
            motivo="la tarea no llegó al punto de pausa",
        )
        pid = int(self.marca.read_text())
        assert pid in hijos(self.worker.pid), "la pausa no está en un hijo del pool"
        os.kill(pid, signal.SIGKILL)
        return time.monotonic()

    def cerrar(self) -> None:
        self.worker.terminar()
        self.redis.detener()


@pytest.mark.parametrize("punto", ["emitir", "notificar"])
def test_worker_matado_a_mitad_del_certificado_deja_uno(base_privada, tmp_path, punto):
    escenario = Escenario(base_privada, tmp_path, punto)
    try:
        env = escenario.env
        inscripcion = str(ayudante(env, "completada-sin-certificado")["inscripcion"])
        ayudante(env, "encolar", "certificado", inscripcion)
        muerte = escenario.matar_en_la_pausa()

        # Terminada la reentrega, el certificado existe y su correo salió.
        esperar(
            lambda: sql_valor(base_privada, NOTIFICADOS % inscripcion) == "1",
            plazo=40,
            cada=0.3,
            motivo="el mensaje no se volvió a entregar tras el SIGKILL",
        )
        reentrega = time.monotonic() - muerte
        time.sleep(2)  # una segunda entrega tardía tampoco debe duplicar
        final = ayudante(env, "estado", inscripcion)
        assert final["certificados"] == 1
        assert final["registros"] == 1
        assert final["notificados"] == 1
        assert escenario.worker.vivo()
        assert "WorkerLostError" in escenario.worker.texto_log()
        cifras_registrar(
            f"worker_sigkill_{punto}",
            certificado_tras_sigkill_s=round(reentrega, 1),
            certificados=final["certificados"],
            registros_publicos=final["registros"],
        )
    finally:
        escenario.cerrar()


def test_worker_matado_a_mitad_de_la_exportacion_no_deja_archivo_a_medias(
    base_privada, tmp_path
):
    escenario = Escenario(base_privada, tmp_path, "exportar")
    try:
        env = escenario.env
        datos = ayudante(env, "exportacion")
        destino = Path(datos["ruta"])
        ayudante(env, "encolar", "exportacion", str(datos["exportacion"]))
        muerte = escenario.matar_en_la_pausa()

        # Con la mitad del xlsx escrita y el proceso muerto: el archivo no existe.
        temporales = list(destino.parent.glob("*.tmp"))
        assert temporales and all(t.stat().st_size > 0 for t in temporales)
        assert not destino.exists()

        esperar(
            lambda: (
                sql_valor(base_privada, ESTADO_EXPORTACION % datos["exportacion"])
                == "listo"
            ),
            plazo=40,
            cada=0.3,
            motivo="la exportación no se terminó tras el SIGKILL",
        )
        reentrega = time.monotonic() - muerte
        libro = openpyxl.load_workbook(destino, read_only=True)
        hojas = libro.sheetnames
        libro.close()
        assert hojas
        assert sorted(p.name for p in destino.parent.glob("*.xlsx")) == [destino.name]
        # La reentrega borró el temporal que dejó el hijo muerto.
        assert not list(destino.parent.glob("*.tmp"))
        cifras_registrar(
            "worker_sigkill_exportar",
            exportacion_tras_sigkill_s=round(reentrega, 1),
            archivos_xlsx=1,
            temporales_huerfanos=0,
        )
    finally:
        escenario.cerrar()
