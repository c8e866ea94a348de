"""Plan de Acción, metas, hechos nacionales y exportaciones (schema public).

Ninguna tabla de esta app guarda RUT ni nombres de personas: el hecho identifica a la
persona con una clave seudónima (HMAC del RUT, ver indicadores/hechos.py).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from content.models import Trabajo


class Plan(models.Model):
    nombre = models.CharField(_("nombre"), max_length=200)
    clave = models.SlugField(_("clave"), unique=True)
    inicio = models.DateField(_("inicio del periodo"))
    fin = models.DateField(_("fin del periodo"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planes")

    def __str__(self) -> str:
        return self.nombre


class Eje(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="ejes", verbose_name=_("plan")
    )
    numero = models.PositiveSmallIntegerField(_("número"))
    nombre = models.CharField(_("nombre"), max_length=200)
    objetivo = models.TextField(_("objetivo"), blank=True)
    institucion_coordinadora = models.CharField(
        _("institución coordinadora"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("eje")
        verbose_name_plural = _("ejes")
        ordering = ["plan", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "numero"], name="indicadores_eje_numero_unico"
            )
        ]

    def __str__(self) -> str:
        return f"Eje {self.numero}: {self.nombre}"


class Accion(models.Model):
    eje = models.ForeignKey(
        Eje, on_delete=models.CASCADE, related_name="acciones", verbose_name=_("eje")
    )
    # «E1-A2.3»: el mismo código que llevan CursoPage.acciones_plan y las jornadas.
    codigo = models.CharField(_("código"), max_length=20, unique=True)
    numero = models.CharField(_("número"), max_length=10)
    linea = models.TextField(_("línea de acción"), blank=True)
    texto = models.TextField(_("acción"))
    indicador = models.TextField(_("indicador de resultado"))
    meta_texto = models.TextField(_("meta (texto del plan)"), blank=True)
    institucion_coordinadora = models.CharField(
        _("institución coordinadora"), max_length=200, blank=True
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    # Quién y cómo cuenta (DESIGN.md §5.4): un hecho cuenta para la acción solo si la
    # institución del catálogo de la persona es destinataria (por sector, por tipo o
    # nombrada) y la modalidad está permitida. Se cargan del archivo del plan junto a
    # la frase de la semilla que los justifica (``fundamento``).
    sectores = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("sectores destinatarios"),
        default=list,
        blank=True,
    )
    tipos = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("tipos de institución destinatarios"),
        default=list,
        blank=True,
    )
    instituciones = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("instituciones nombradas (códigos del catálogo)"),
        default=list,
        blank=True,
    )
    modalidades = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("modalidades permitidas"),
        default=list,
        blank=True,
    )
    fundamento = models.TextField(_("frase del plan que lo justifica"), blank=True)

    class Meta:
        verbose_name = _("acción")
        verbose_name_plural = _("acciones")
        ordering = ["orden", "codigo"]

    def __str__(self) -> str:
        return self.codigo


class MetaAnual(models.Model):
    class Unidad(models.TextChoices):
        PERSONAS = "personas", _("personas")
        CAPACITACIONES = "capacitaciones", _("capacitaciones")
        COMPLEJOS = "complejos", _("complejos fronterizos")
        INSTITUCIONES = "instituciones", _("instituciones")
        MESES = "meses", _("meses distintos con capacitación")
        NOMBRADAS = "nombradas", _("instituciones nombradas alcanzadas")
        SI_NO = "si_no", _("sí/no")
        INFORMES = "informes", _("informes (registro manual)")

    accion = models.ForeignKey(
        Accion, on_delete=models.CASCADE, related_name="metas", verbose_name=_("acción")
    )
    anio = models.PositiveSmallIntegerField(_("año"))
    valor = models.PositiveIntegerField(_("valor mínimo"))
    unidad = models.CharField(_("unidad"), max_length=20, choices=Unidad.choices)
    # Se cuenta lo logrado entre inicio y plazo (ambos incluidos).
    inicio = models.DateField(_("se cuenta desde"))
    plazo = models.DateField(_("plazo"))
    texto = models.TextField(_("texto de la meta"), blank=True)
    # Para metas que no salen de los hechos (p. ej. «programa diseñado sí/no»).
    logrado_manual = models.PositiveIntegerField(
        _("logrado (registro manual)"),
        null=True,
        blank=True,
        help_text=_("Solo para metas que la plataforma no puede contar."),
    )
    # Las instituciones que cuenta una meta «nombradas» (códigos del catálogo).
    instituciones = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("instituciones nombradas que cuenta"),
        default=list,
        blank=True,
    )
    # Evidencia de una meta de registro manual (p. ej. el PDF de la guía): se guarda
    # fuera de MEDIA_ROOT y solo la descarga la coordinación (indicadores/views.py).
    evidencia = models.CharField(_("evidencia"), max_length=255, blank=True)
    evidencia_nombre = models.CharField(
        _("nombre del archivo de evidencia"), max_length=255, blank=True
    )
    registrado_por = models.CharField(_("registrado por"), max_length=150, blank=True)
    registrado_at = models.DateTimeField(_("registrado el"), null=True, blank=True)

    # Unidades que no salen de los hechos: la MITP las registra con evidencia.
    MANUALES = ("si_no", "informes")

    class Meta:
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        ordering = ["accion", "anio", "unidad"]
        constraints = [
            # Una acción puede tener dos metas de la misma unidad en un año si
            # cuentan periodos distintos (p. ej. informes por semestre).
            models.UniqueConstraint(
                fields=["accion", "anio", "unidad", "inicio"],
                name="indicadores_meta_unica",
            ),
            models.CheckConstraint(
                condition=models.Q(plazo__gte=models.F("inicio")),
                name="indicadores_meta_plazo_despues_de_inicio",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accion_id} {self.anio}: ≥{self.valor} {self.unidad}"

    @property
    def es_manual(self) -> bool:
        return self.unidad in self.MANUALES


class ModalidadHecho(models.TextChoices):
    """La modalidad de un hecho, la que declaran las acciones (DESIGN.md §5.4)."""

    AUTOINSTRUCCIONAL = "autoinstruccional", _("Curso autoinstruccional")
    PRESENCIAL = "jornada_presencial", _("Jornada presencial")
    EN_LINEA = "jornada_en_linea", _("Jornada en línea en vivo")


class Hecho(models.Model):
    """Un hecho nacional: una completitud de curso o una asistencia a una jornada."""

    class Tipo(models.TextChoices):
        CURSO = "curso", _("Curso completado")
        JORNADA = "jornada", _("Asistencia a jornada")

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
    )
    tipo = models.CharField(_("tipo"), max_length=10, choices=Tipo.choices)
    # id de la inscripción o de la asistencia en el schema del tenant (idempotencia).
    origen_id = models.BigIntegerField(_("id de origen"))
    # Collation «C» en las claves que se cuentan con COUNT(DISTINCT …): se ordenan por
    # bytes y no con las reglas del idioma (medido en docs/performance.md).
    persona = models.CharField(
        _("clave seudónima de la persona"), max_length=64, db_collation="C"
    )
    fecha = models.DateField(_("fecha"))
    institucion = models.CharField(_("institución"), max_length=150, blank=True)
    institucion_ref = models.CharField(max_length=60, db_collation="C")
    # La institución del catálogo nacional al momento del hecho (nula si la
    # institución del tenant no está vinculada: entonces no es destinataria de nada).
    catalogo = models.ForeignKey(
        "tenants.InstitucionCatalogo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución del catálogo"),
    )
    unidad = models.CharField(_("unidad"), max_length=150, blank=True)
    unidad_ref = models.CharField(max_length=60, blank=True, db_collation="C")
    es_complejo = models.BooleanField(_("complejo fronterizo"), default=False)
    region = models.CharField(_("región"), max_length=20, blank=True)
    sexo = models.CharField(_("sexo"), max_length=20)
    modalidad = models.CharField(
        _("modalidad"), max_length=20, choices=ModalidadHecho.choices
    )
    actividad_ref = models.CharField(max_length=80, db_collation="C")
    actividad = models.CharField(_("curso o jornada"), max_length=255)
    # Jornada: las acciones que declara (elegidas del plan). Curso: las acciones
    # para las que es pertinente (etiquetas del currículo). Es condición necesaria,
    # nunca suficiente: además la institución debe ser destinataria y la modalidad
    # permitida (indicadores.selectors._atribucion_condicion).
    acciones = ArrayField(
        models.CharField(max_length=20), default=list, verbose_name=_("acciones")
    )
    # Curso: la versión en que se capacitó (issue 16) y el curso de esa versión
    # («schema:id»; un curso de actualización pone al día el curso que actualiza).
    # Solo sirve para contar por versión: ningún indicador del plan la mira.
    version = models.CharField(_("versión"), max_length=20, blank=True)
    version_mayor = models.PositiveSmallIntegerField(
        _("versión mayor"), null=True, blank=True
    )
    curso_ref = models.CharField(max_length=60, blank=True, db_collation="C")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hecho nacional")
        verbose_name_plural = _("hechos nacionales")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tipo", "origen_id"],
                name="indicadores_hecho_origen_unico",
            )
        ]
        indexes = [
            models.Index(fields=["fecha"], name="indicadores_hecho_fecha"),
            models.Index(fields=["tenant", "fecha"], name="indicadores_hecho_tenant"),
            GinIndex(fields=["acciones"], name="indicadores_hecho_acciones"),
        ]

    def __str__(self) -> str:
        return f"{self.tipo} {self.tenant_id}:{self.origen_id} ({self.fecha})"


class VersionNacional(models.Model):
    """La versión mayor vigente de cada curso de cada tenant (schema public).

    La publica indicadores al recibir ``cursos.signals.version_publicada``: con ella el
    tablero MITP cuenta cuántas personas siguen capacitadas en una versión anterior.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
    )
    curso_ref = models.CharField(max_length=60, db_collation="C")
    curso = models.CharField(_("curso"), max_length=255)
    numero = models.PositiveSmallIntegerField(_("versión mayor vigente"))
    version = models.CharField(_("versión"), max_length=20)
    publicada_el = models.DateField(_("publicada el"))

    class Meta:
        verbose_name = _("versión nacional de curso")
        verbose_name_plural = _("versiones nacionales de cursos")
        constraints = [
            models.UniqueConstraint(
                fields=["curso_ref"], name="indicadores_versionnacional_curso_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.curso} v{self.version}"


class ResumenNacional(models.Model):
    """Cifras nacionales ya calculadas para el tablero MITP (una fila por clave).

    Guarda lo que devuelven las funciones de indicadores.selectors (no otra definición)
    y la huella de los hechos y metas con que se calculó: si la huella actual es otra,
    el resumen está vencido y una tarea lo recalcula (indicadores/resumen.py).
    """

    clave = models.CharField(_("clave"), max_length=40, unique=True)
    datos = models.JSONField(_("datos"), default=dict)
    huella = models.CharField(_("huella"), max_length=80)
    calculado_at = models.DateTimeField(_("calculado el"))
    segundos = models.FloatField(_("segundos de cálculo"), default=0)
    pedido_at = models.DateTimeField(_("recálculo pedido el"), null=True, blank=True)

    class Meta:
        verbose_name = _("resumen nacional")
        verbose_name_plural = _("resúmenes nacionales")

    def __str__(self) -> str:
        return f"{self.clave} ({self.calculado_at:%Y-%m-%d %H:%M})"


class DotacionNacional(models.Model):
    """Copia pública de la dotación de cada unidad, para el «% capacitado» nacional."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
    )
    unidad_id_tenant = models.BigIntegerField()
    unidad_ref = models.CharField(max_length=60)
    unidad = models.CharField(_("unidad"), max_length=150)
    institucion = models.CharField(_("institución"), max_length=150)
    institucion_ref = models.CharField(max_length=60)
    catalogo = models.ForeignKey(
        "tenants.InstitucionCatalogo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución del catálogo"),
    )
    region = models.CharField(_("región"), max_length=20, blank=True)
    anio = models.PositiveSmallIntegerField(_("año"))
    total = models.PositiveIntegerField(_("dotación"))
    femenino = models.PositiveIntegerField(null=True, blank=True)
    masculino = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("dotación nacional")
        verbose_name_plural = _("dotaciones nacionales")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "unidad_id_tenant", "anio"],
                name="indicadores_dotacion_unica",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unidad_ref} {self.anio}: {self.total}"


class Exportacion(Trabajo):
    """Una exportación pedida: su avance (``total`` estimado, ``hechos`` escritos), su
    archivo y su registro de auditoría. Vive en public (``schema_name`` dice de qué
    sitio es); por eso guarda el id de quien la pidió y no una llave a su usuario."""

    class Tipo(models.TextChoices):
        NOMINA = "nomina", _("Nómina con estado por curso")
        UNIDADES = "unidades", _("% capacitado por unidad")
        CERTIFICADOS = "certificados", _("Certificados")
        PLAN = "plan", _("Libro del Plan (MITP)")

    ETIQUETAS: ClassVar[dict[str, str]] = {
        Trabajo.Estado.EN_CURSO: _("Generando"),
        Trabajo.Estado.LISTO: _("Lista"),
        Trabajo.Estado.ERROR: _("Falló"),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schema_name = models.CharField(_("schema"), max_length=63)
    usuario_id = models.BigIntegerField(_("usuario"))
    usuario = models.CharField(_("nombre de usuario"), max_length=150)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    filtros = models.JSONField(_("filtros"), default=dict, blank=True)
    filas = models.PositiveIntegerField(_("filas"), default=0)
    en_tarea = models.BooleanField(_("en segundo plano"), default=False)
    archivo = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("exportación")
        verbose_name_plural = _("exportaciones")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["schema_name", "usuario_id"])]

    def __str__(self) -> str:
        return f"{self.tipo} {self.schema_name} {self.created_at:%Y-%m-%d %H:%M}"
