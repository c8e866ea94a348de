import uuid

from django.db import migrations, models


def tokens_llenar(apps, schema_editor):
    PreferenciaAvisos = apps.get_model("avisos", "PreferenciaAvisos")
    for preferencia in PreferenciaAvisos.objects.filter(token__isnull=True):
        preferencia.token = uuid.uuid4()
        preferencia.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("avisos", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="preferenciaavisos",
            name="token",
            field=models.UUIDField(null=True, verbose_name="token de baja"),
        ),
        migrations.RunPython(tokens_llenar, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="preferenciaavisos",
            name="token",
            field=models.UUIDField(
                default=uuid.uuid4, unique=True, verbose_name="token de baja"
            ),
        ),
        migrations.AddField(
            model_name="preferenciaavisos",
            name="ultimo_resumen_el",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="último resumen el",
            ),
        ),
    ]
