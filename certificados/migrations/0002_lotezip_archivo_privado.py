"""Los ZIP de certificados pasan de MEDIA_ROOT (públicos, nombre adivinable) a
ARCHIVOS_PRIVADOS_DIR/<schema>/ con un nombre uuid4 (DESIGN.md §6).

Los ZIP ya armados se mueven; un lote cuyo archivo no está queda en «error» y la
encargada pide otro desde la lista de certificados.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import certificados.models
import tenants.archivos


def lotes_mover(apps, schema_editor):
    LoteZip = apps.get_model("certificados", "LoteZip")
    schema = schema_editor.connection.schema_name
    media = Path(settings.MEDIA_ROOT) / schema
    privados = Path(settings.ARCHIVOS_PRIVADOS_DIR) / schema
    for pk, nombre in LoteZip.objects.exclude(archivo="").values_list("pk", "archivo"):
        origen = media / nombre
        if ".." in Path(nombre).parts or not origen.is_file() or origen.is_symlink():
            LoteZip.objects.filter(pk=pk).update(archivo="", estado="error")
            continue
        nuevo = f"certificados/lotes/{uuid.uuid4().hex}.zip"
        destino = privados / nuevo
        destino.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(origen, destino)
        LoteZip.objects.filter(pk=pk).update(archivo=nuevo)


class Migration(migrations.Migration):
    dependencies = [
        ("certificados", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lotezip",
            name="archivo",
            field=models.FileField(
                blank=True,
                storage=tenants.archivos.AlmacenPrivado(),
                upload_to=certificados.models.lote_ruta,
                verbose_name="archivo",
            ),
        ),
        migrations.RunPython(lotes_mover, migrations.RunPython.noop),
    ]
