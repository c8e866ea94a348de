"""Importar una planilla por la pantalla, como la encargada: subirla, dejar que la
tarea corra (Celery eager de la configuración de pruebas) y abrir la página de avance.

Las pruebas de TestCase nunca hacen commit: la tarea que la subida dejó en
``transaction.on_commit`` se ejecuta a mano, dentro del schema del tenant (la tarea
toma el schema activo al encolarse, como en producción toma el de la petición).
"""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook


def importar_por_pantalla(prueba, client, url: str, archivo, *, en, **datos):
    """Sube ``archivo`` a ``url``, corre la tarea en ``en()`` y devuelve la página
    de avance ya terminada (y su dirección)."""
    with prueba.captureOnCommitCallbacks() as pendientes:
        r = client.post(url, {"archivo": archivo, **datos})
    prueba.assertEqual(r.status_code, 302, r.content[:500])
    destino = r["Location"]
    prueba.assertIn("/importaciones/", destino)
    with en():
        for llamada in pendientes:
            llamada()
    pagina = client.get(destino)
    prueba.assertEqual(pagina.status_code, 200)
    return pagina, destino


def planilla_errores_filas(client, destino: str) -> list[tuple]:
    """Las filas de la planilla de errores de la importación en ``destino``."""
    r = client.get(destino + "errores.xlsx")
    assert r.status_code == 200, r.status_code
    return list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))


def subida(contenido, nombre: str = "planilla.xlsx") -> SimpleUploadedFile:
    datos = contenido.getvalue() if hasattr(contenido, "getvalue") else contenido
    return SimpleUploadedFile(nombre, datos)


def xlsx(filas: list[list], nombre: str = "planilla.xlsx") -> BytesIO:
    """Una planilla con ``filas`` (la primera, los encabezados), como la subiría
    alguien."""
    libro = Workbook()
    hoja = libro.active
    for fila in filas:
        hoja.append(fila)
    salida = BytesIO()
    libro.save(salida)
    salida.seek(0)
    salida.name = nombre
    return salida
