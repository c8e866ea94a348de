"""Nómina del personal (xlsx) y dotación por unidad.

La importación crea o actualiza cuentas por RUT, así que reimportar el mismo archivo no
duplica a nadie. Cada fila se aplica en su propio savepoint: o queda completa (usuario,
perfil, grupo) o no queda nada. Las filas con errores se informan en una planilla de
errores con el número de fila y el motivo, sin repetir el RUT.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from lib import planillas
from lib.planillas import ResultadoImportacion, filas_de_datos, texto, xlsx_abrir
from lib.rut import rut_normalizar
from tenants.roles import Rol

from ..choices import Sexo
from ..models import Dotacion, Perfil, Unidad
from ..signals import dotacion_guardada

MAX_FILAS = 20_000

COLUMNAS = [
    "RUT",
    "Nombres",
    "Apellidos",
    "Correo",
    "Sexo",
    "Institución",
    "Unidad",
    "Cargo",
]

_SEXOS = {
    "f": Sexo.FEMENINO,
    "femenino": Sexo.FEMENINO,
    "mujer": Sexo.FEMENINO,
    "m": Sexo.MASCULINO,
    "masculino": Sexo.MASCULINO,
    "hombre": Sexo.MASCULINO,
    "otro": Sexo.OTRO,
    "": "",
}


def plantilla_xlsx() -> bytes:
    return planillas.plantilla_xlsx(
        titulo="Nómina",
        columnas=COLUMNAS,
        ejemplos=[
            [
                "12.345.678-5",
                "Ana",
                "Pérez Soto",
                "ana.perez@ejemplo.cl",
                "F",
                "Carabineros de Chile",
                "Prefectura Arica",
                "Sargento",
            ]
        ],
        anchos=[14, 20, 22, 28, 8, 28, 28, 20],
        instrucciones=[
            _(
                "Una fila por persona. El RUT identifica a la persona: reimportar "
                "actualiza."
            ),
            _("Sexo: F, M, Otro o vacío."),
            _("Institución: nombre o sigla ya registrados. Unidad: nombre exacto."),
            _("Las filas con errores no se aplican; se devuelven en un informe."),
        ],
    )


def _unidades_indice() -> dict[tuple[str, str], Unidad]:
    indice = {}
    for unidad in Unidad.objects.select_related("institucion"):
        for clave in {unidad.institucion.nombre, unidad.institucion.sigla} - {""}:
            indice[(clave.lower(), unidad.nombre.lower())] = unidad
    return indice


def _fila_interpretar(celdas: list, unidades: dict) -> dict:
    celdas = list(celdas) + [None] * (len(COLUMNAS) - len(celdas))
    rut, nombres, apellidos, correo, sexo, institucion, unidad, cargo = (
        texto(c) for c in celdas[: len(COLUMNAS)]
    )
    errores = []
    try:
        rut = rut_normalizar(rut)
    except ValidationError:
        errores.append(_("RUT inválido o vacío"))
    if not nombres or not apellidos:
        errores.append(_("falta el nombre o el apellido"))
    sexo_valor = _SEXOS.get(sexo.lower())
    if sexo_valor is None:
        errores.append(_("sexo «%(s)s» desconocido (use F, M u Otro)") % {"s": sexo})
    encontrada = unidades.get((institucion.lower(), unidad.lower()))
    if encontrada is None:
        errores.append(
            _("unidad «%(u)s» de «%(i)s» no registrada")
            % {"u": unidad, "i": institucion}
        )
    if errores:
        raise ValidationError("; ".join(errores))
    return {
        "rut": rut,
        "first_name": nombres[:150],
        "last_name": apellidos[:150],
        "email": correo[:254],
        "sexo": sexo_valor,
        "unidad": encontrada,
        "cargo": cargo[:150],
    }


def _username_libre(datos: dict) -> str:
    User = get_user_model()
    base = (datos["email"].split("@")[0] if datos["email"] else "") or slugify(
        f"{datos['first_name']}.{datos['last_name']}"
    )
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "persona"
    candidato, n = base, 1
    while User.objects.filter(username=candidato).exists():
        n += 1
        candidato = f"{base}{n}"
    return candidato


@transaction.atomic
def _persona_guardar(datos: dict, grupo: Group) -> bool:
    """Crea o actualiza una persona de la nómina; devuelve True si la creó."""
    User = get_user_model()
    perfil = (
        Perfil.objects.select_for_update()
        .select_related("usuario")
        .filter(rut=datos["rut"])
        .first()
    )
    creada = perfil is None
    if creada:
        usuario = User(username=_username_libre(datos))
        usuario.set_unusable_password()
        perfil = Perfil(rut=datos["rut"])
    else:
        usuario = perfil.usuario
    usuario.first_name = datos["first_name"]
    usuario.last_name = datos["last_name"]
    if datos["email"]:
        usuario.email = datos["email"]
    usuario.save()
    usuario.groups.add(grupo)
    perfil.usuario = usuario
    perfil.unidad = datos["unidad"]
    perfil.institucion = datos["unidad"].institucion
    perfil.sexo = datos["sexo"]
    perfil.cargo = datos["cargo"]
    perfil.region = datos["unidad"].region or perfil.region
    perfil.full_clean()
    perfil.save()
    return creada


def nomina_importar(archivo, *, actor=None) -> ResultadoImportacion:
    """Importa la nómina; las filas válidas se aplican y las demás se informan.

    Con ``actor`` (quien sube la planilla) queda en la bitácora del tenant.
    """
    libro = xlsx_abrir(archivo)
    resultado = ResultadoImportacion()
    unidades = _unidades_indice()
    grupo, _c = Group.objects.get_or_create(name=Rol.FUNCIONARIO.value)
    vistos: dict[str, int] = {}
    hoja = libro.worksheets[0]
    for numero, fila in filas_de_datos(hoja, resultado.errores, max_filas=MAX_FILAS):
        try:
            datos = _fila_interpretar(list(fila), unidades)
            if datos["rut"] in vistos:
                raise ValidationError(
                    _("fila duplicada: el mismo RUT está en la fila %(n)s")
                    % {"n": vistos[datos["rut"]]}
                )
            vistos[datos["rut"]] = numero
            creada = _persona_guardar(datos, grupo)
        except ValidationError as exc:
            resultado.errores.append((numero, " ".join(exc.messages)))
            continue
        if creada:
            resultado.creadas += 1
        else:
            resultado.actualizadas += 1
    libro.close()
    if actor is not None:
        auditoria_registrar(
            objeto=actor,
            accion="capacita.importacion",
            usuario=actor,
            titulo=_("Nómina (%(n)s filas aplicadas)") % {"n": resultado.aplicadas},
            detalle={
                "planilla": "nomina",
                "creadas": resultado.creadas,
                "actualizadas": resultado.actualizadas,
                "errores": len(resultado.errores),
            },
        )
    return resultado


@transaction.atomic
def dotacion_guardar(
    *,
    unidad: Unidad,
    anio: int,
    total: int,
    femenino: int | None = None,
    masculino: int | None = None,
) -> Dotacion:
    """Registra la dotación de una unidad en un año y la publica para la MITP."""
    if femenino is not None and masculino is not None and femenino + masculino > total:
        raise ValidationError(
            _("Mujeres más hombres no puede superar la dotación total."),
            code="dotacion_sexo",
        )
    dotacion, _c = Dotacion.objects.update_or_create(
        unidad=unidad,
        anio=anio,
        defaults={"total": total, "femenino": femenino, "masculino": masculino},
    )
    dotacion.full_clean()
    dotacion_guardada.send(sender=Dotacion, dotacion=dotacion)
    return dotacion
