from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sexo(models.TextChoices):
    FEMENINO = "femenino", _("Femenino")
    MASCULINO = "masculino", _("Masculino")
    OTRO = "otro", _("Otro")
    NO_INFORMA = "no_informa", _("Prefiere no informar")


class Modalidad(models.TextChoices):
    ONLINE = "online", _("En línea")
    MIXTA = "mixta", _("Mixta (en línea y presencial)")
    PRESENCIAL = "presencial", _("Presencial")


class Region(models.TextChoices):
    ARICA = "arica", _("Arica y Parinacota")
    TARAPACA = "tarapaca", _("Tarapacá")
    ANTOFAGASTA = "antofagasta", _("Antofagasta")
    ATACAMA = "atacama", _("Atacama")
    COQUIMBO = "coquimbo", _("Coquimbo")
    VALPARAISO = "valparaiso", _("Valparaíso")
    METROPOLITANA = "metropolitana", _("Metropolitana de Santiago")
    OHIGGINS = "ohiggins", _("Libertador General Bernardo O'Higgins")
    MAULE = "maule", _("Maule")
    NUBLE = "nuble", _("Ñuble")
    BIOBIO = "biobio", _("Biobío")
    ARAUCANIA = "araucania", _("La Araucanía")
    LOS_RIOS = "los_rios", _("Los Ríos")
    LOS_LAGOS = "los_lagos", _("Los Lagos")
    AYSEN = "aysen", _("Aysén del General Carlos Ibáñez del Campo")
    MAGALLANES = "magallanes", _("Magallanes y de la Antártica Chilena")
    EXTRANJERO = "extranjero", _("En el extranjero")


class EstadoCurso(models.TextChoices):
    NO_INICIADO = "no_iniciado", _("No iniciado")
    EN_CURSO = "en_curso", _("En curso")
    LECCIONES_COMPLETAS = (
        "lecciones_completas",
        _("Lecciones completas · falta la evaluación"),
    )
    COMPLETADO = "completado", _("Completado")
    VENCIDO = "vencido", _("Vencido")
    REVOCADO = "revocado", _("Revocado")
    VERSION_ANTERIOR = "version_anterior", _("Capacitado en versión anterior")
