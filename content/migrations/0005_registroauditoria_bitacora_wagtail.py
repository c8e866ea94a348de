"""La bitácora del tenant pasa a ser un registro de Wagtail (Historial del sitio).

Se crea la tabla nueva, se le copian las filas de la vieja (usuario_id, accion,
detalle, created_at) con la acción registrada que les corresponde, se borra la vieja y
la nueva toma su nombre: nada de lo auditado antes se pierde.
"""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _accion(vieja: str) -> str:
    if vieja.startswith("exportacion."):
        return "capacita.exportacion"
    if vieja == "roles_cambiar":
        return "capacita.roles"
    if vieja.startswith("api_token_"):
        return "capacita.token_api"
    return "capacita.api"


def copiar(apps, schema_editor):
    Antiguo = apps.get_model("content", "RegistroAuditoria")
    Nuevo = apps.get_model("content", "RegistroAuditoriaNuevo")
    Nuevo.objects.using(schema_editor.connection.alias).bulk_create(
        [
            Nuevo(
                label=r.accion,
                action=_accion(r.accion),
                data={**r.detalle, "operacion": r.accion},
                timestamp=r.created_at,
                user_id=r.usuario_id,
            )
            for r in Antiguo.objects.using(schema_editor.connection.alias).iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_importaciones_en_segundo_plano"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistroAuditoriaNuevo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("label", models.TextField()),
                ("action", models.CharField(blank=True, db_index=True, max_length=255)),
                (
                    "data",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                    ),
                ),
                (
                    "timestamp",
                    models.DateTimeField(db_index=True, verbose_name="timestamp (UTC)"),
                ),
                (
                    "uuid",
                    models.UUIDField(
                        blank=True,
                        editable=False,
                        help_text="Log entries that happened as part of the same user action are assigned the same UUID",
                        null=True,
                    ),
                ),
                ("content_changed", models.BooleanField(db_index=True, default=False)),
                ("deleted", models.BooleanField(default=False)),
                (
                    "object_id",
                    models.CharField(blank=True, db_index=True, max_length=255),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wagtailcore.revision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "registro de auditoría",
                "verbose_name_plural": "registros de auditoría",
                "ordering": ["-timestamp", "-id"],
                "abstract": False,
            },
        ),
        migrations.AddIndex(
            model_name="registroauditorianuevo",
            index=models.Index(
                fields=["uuid", "action", "-timestamp"],
                name="content_reg_uuid_7d41a4_idx",
            ),
        ),
        migrations.RunPython(copiar, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegistroAuditoria"),
        migrations.RenameModel("RegistroAuditoriaNuevo", "RegistroAuditoria"),
    ]
