"""Nómina del personal (xlsx) y dotación por unidad.

La importación crea o actualiza cuentas por RUT, así que reimportar el mismo archivo no
duplica a nadie. Es todo o nada: se revisan todas las filas y, si alguna tiene errores,
no se aplica ninguna y la planilla de errores repite cada fila con error con sus
valores y el motivo. La API de RR. HH. usa la misma función por lotes
(``personas_guardar_lote``).
"""

from __future__ import annotations

import gc
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.trabajos import importable
from lib import planillas
from lib.planillas import ResultadoImportacion, filas_de_datos, texto, xlsx_abrir
from lib.rut import rut_normalizar
from tenants.roles import Rol

from ..choices import Sexo
from ..models import Dotacion, Perfil, Unidad
from ..signals import dotacion_guardada

MAX_FILAS = 60_000

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
            _(
                "Si alguna fila tiene errores no se aplica ninguna; se devuelven "
                "en un informe."
            ),
        ],
    )


def _unidades_indice() -> dict[tuple[str, str], Unidad]:
    indice = {}
    for unidad in Unidad.objects.select_related("institucion"):
        for clave in {unidad.institucion.nombre, unidad.institucion.sigla} - {""}:
            indice[(clave.lower(), unidad.nombre.lower())] = unidad
    return indice


_correo_validar = EmailValidator()


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
    if correo:
        try:
            _correo_validar(correo)
        except ValidationError:
            errores.append(
                _("correo «%(c)s» no válido (ejemplo: nombre@institucion.cl)")
                % {"c": correo}
            )
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
        "nombres": nombres,
        "apellidos": apellidos,
        "correo": correo,
        "sexo": sexo_valor,
        "unidad": encontrada,
        "cargo": cargo,
    }


def _username_base(persona: dict) -> str:
    correo = persona["correo"].strip()
    base = (correo.split("@")[0] if correo else "") or slugify(
        f"{persona['nombres'].strip()}.{persona['apellidos'].strip()}"
    )
    return re.sub(r"[^\w.@+-]", "", base)[:140] or "persona"


def _usernames_libres(bases: list[str]) -> list[str]:
    """base, base2, base3…: el primero libre en la base y en el lote (1 consulta)."""
    User = get_user_model()
    sufijos = ("", "2", "3", "4", "5")
    ocupados = set(
        User.objects.filter(
            username__in={b + s for b in bases for s in sufijos}
        ).values_list("username", flat=True)
    )
    elegidos = []
    for base in bases:
        n, candidato = 1, base
        while candidato in ocupados or (
            n > len(sufijos) and User.objects.filter(username=candidato).exists()
        ):
            n += 1
            candidato = f"{base}{n}"
        ocupados.add(candidato)
        elegidos.append(candidato)
    return elegidos


def _actualizar_en_una_consulta(modelo, campos: list[str], filas: list[tuple]) -> None:
    """UPDATE … FROM (VALUES …): una consulta por tanda de 500, en vez del CASE
    de ``bulk_update``, que crece con el cuadrado de la tanda. Cada fila es
    ``(pk, *valores de campos)``."""
    if not filas:
        return
    meta = modelo._meta
    columnas = [meta.get_field(c).column for c in campos]
    tipos = [
        "bigint" if meta.get_field(c).get_internal_type().endswith("Key") else "text"
        for c in campos
    ]
    asignar = ", ".join(
        f'"{col}" = v."{col}"::{tipo}'
        for col, tipo in zip(columnas, tipos, strict=True)
    )
    lista = ", ".join(["id", *(f'"{c}"' for c in columnas)])
    marcas = "(" + ", ".join(["%s"] * (len(campos) + 1)) + ")"
    with connection.cursor() as cursor:
        for inicio in range(0, len(filas), 500):
            tanda = filas[inicio : inicio + 500]
            parametros = [
                valor if i else str(valor)
                for fila in tanda
                for i, valor in enumerate(fila)
            ]
            cursor.execute(
                f'UPDATE "{meta.db_table}" AS t SET {asignar} '
                f"FROM (VALUES {', '.join([marcas] * len(tanda))}) AS v({lista}) "
                "WHERE t.id = v.id::bigint",
                parametros,
            )


def _grupo_asignar(usuario_ids: list[int], grupo) -> None:
    """Todas al grupo en una consulta, sin crear un objeto por membresía; las que ya
    estaban (una reimportación: todas) no cambian."""
    tabla = get_user_model().groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{tabla}" (user_id, group_id) '
            "SELECT unnest(%s::integer[]), %s ON CONFLICT DO NOTHING",
            [usuario_ids, grupo.pk],
        )


# Los campos de una persona, en orden, para guardarla como tupla mientras se lee la
# planilla: con un dict por fila, el pico al terminar de leer 50.000 filas era 9 MB
# mayor (docs/performance.md).
_CLAVES = ("rut", "nombres", "apellidos", "correo", "sexo", "unidad", "cargo")


class _PersonasCompactas(Sequence[dict[str, Any]]):
    """Las personas validadas de la planilla, una tupla por fila; la escritura las
    pide por tandas (``personas[a:b]``) y recibe dicts, como los de la API."""

    def __init__(self, filas: list[tuple[Any, ...]]) -> None:
        self._filas = filas

    def __len__(self) -> int:
        return len(self._filas)

    @overload
    def __getitem__(self, indice: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, indice: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, indice: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(indice, slice):
            return [dict(zip(_CLAVES, f, strict=True)) for f in self._filas[indice]]
        return dict(zip(_CLAVES, self._filas[indice], strict=True))


@dataclass
class ResultadoPersonas:
    creadas: int = 0
    actualizadas: int = 0
    personas: list[dict] = field(default_factory=list)


TANDA = 1000


def personas_guardar_lote(
    personas: Sequence[dict],
    al_avanzar=None,
    *,
    validar_usuario: bool = True,
    detalle: bool = True,
) -> ResultadoPersonas:
    """Crea o actualiza personas por RUT en lote: la única regla de la nómina, para
    la planilla xlsx y para la API.

    Cada persona trae ``rut`` (normalizado), ``nombres``, ``apellidos``, ``correo``
    (se escribe solo si viene), ``sexo``, ``cargo`` y ``unidad`` (de ella salen la
    institución y la región). Queda en el grupo funcionario. Se escribe por tandas de
    2.000 personas, con un número fijo de consultas por tanda (unas 4 por cada 1.000
    personas) y sin tener en memoria más objetos que los de una tanda: con 5.000 por
    tanda, los objetos de una tanda de personas nuevas sumaban 17 MB al pico.
    Llamar dentro de una transacción; ``al_avanzar(n)`` recibe las personas escritas.
    Sin ``validar_usuario`` no se repite la validación de los campos del usuario
    (la planilla ya validó el correo y recortó los nombres). Sin ``detalle`` el
    resultado trae solo los conteos, no una entrada por persona.
    """
    grupo, _c = Group.objects.get_or_create(name=Rol.FUNCIONARIO.value)
    resultado = ResultadoPersonas()
    paso = 2 * TANDA
    for inicio in range(0, len(personas), paso):
        _tanda_guardar(
            personas[inicio : inicio + paso],
            desde=inicio,
            grupo=grupo,
            resultado=resultado,
            validar_usuario=validar_usuario,
            detalle=detalle,
        )
        if al_avanzar:
            al_avanzar(min(len(personas), inicio + paso))
    return resultado


# Lo que se lee de cada persona que ya está: tuplas y no instancias del ORM. Una
# reimportación de 50.000 filas cargaba 10.000 objetos perfil + usuario por tanda,
# más una copia de sus valores para saber qué cambió: era el pico de memoria.
_EXISTENTE = (
    "rut",
    "pk",
    "usuario_id",
    "usuario__username",
    "usuario__first_name",
    "usuario__last_name",
    "usuario__email",
    "unidad_id",
    "institucion_id",
    "sexo",
    "cargo",
    "region",
)
_CAMPOS_USUARIO = ["first_name", "last_name", "email"]
_CAMPOS_PERFIL = ["unidad_id", "institucion_id", "sexo", "cargo", "region"]


def _tanda_guardar(
    personas: list[dict],
    *,
    desde: int,
    grupo,
    resultado,
    validar_usuario: bool,
    detalle: bool,
) -> None:
    User = get_user_model()
    existentes = {
        fila[0]: fila
        for fila in Perfil.objects.select_for_update(of=("self",))
        .filter(rut__in=[p["rut"] for p in personas])
        .values_list(*_EXISTENTE)
    }
    nombres_usuario = iter(
        _usernames_libres(
            [_username_base(p) for p in personas if p["rut"] not in existentes]
        )
    )
    # Las que ya están se validan en un par de objetos de trabajo, reusados.
    usuario_tmp, perfil_tmp = User(), Perfil()
    nuevos: list[tuple] = []
    usuarios: list = []  # id de la cuenta, o la cuenta nueva hasta que tenga id
    cambios_usuario: list[tuple] = []
    cambios_perfil: list[tuple] = []
    for i, persona in enumerate(personas):
        unidad = persona["unidad"]
        fila = existentes.get(persona["rut"])
        correo = persona["correo"].strip()[:254]
        if fila is None:
            # Lo mismo que set_unusable_password(), sin pasar por los hashers (en
            # 50.000 filas, un segundo y medio).
            usuario = User(
                username=next(nombres_usuario),
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                email=correo,
            )
            perfil = Perfil(rut=persona["rut"], unidad=unidad)
            perfil.institucion = unidad.institucion
            perfil.region = unidad.region
        else:
            usuario, perfil = usuario_tmp, perfil_tmp
            usuario.username, usuario.email = fila[3], correo or fila[6]
            perfil.rut, perfil.region = fila[0], unidad.region or fila[11]
        usuario.first_name = persona["nombres"].strip()[:150]
        usuario.last_name = persona["apellidos"].strip()[:150]
        perfil.sexo = persona["sexo"]
        perfil.cargo = persona["cargo"].strip()[:150]
        # Sin consultas: las FK y la unicidad las garantizan la base y este lote.
        try:
            if validar_usuario:
                usuario.clean_fields(exclude=["password", "last_login", "date_joined"])
            perfil.clean_fields(exclude=["usuario", "institucion", "unidad"])
        except ValidationError as exc:
            raise ValidationError(
                {
                    f"personas[{desde + i}].{campo}": mensajes
                    for campo, mensajes in exc.message_dict.items()
                }
            ) from None
        if fila is None:
            nuevos.append((perfil, usuario))
            usuarios.append(usuario)
            continue
        usuarios.append(fila[2])
        # Una resincronización casi no cambia nada: solo se escribe lo que cambió.
        valores = (usuario.first_name, usuario.last_name, usuario.email)
        if valores != fila[4:7]:
            cambios_usuario.append((fila[2], *valores))
        valores = (unidad.pk, unidad.institucion_id, perfil.sexo, perfil.cargo)
        if valores + (perfil.region,) != fila[7:12]:
            cambios_perfil.append((fila[1], *valores, perfil.region))
    User.objects.bulk_create([u for _p, u in nuevos], batch_size=TANDA)
    for perfil, usuario in nuevos:
        perfil.usuario = usuario  # ya con el pk que asignó bulk_create
    Perfil.objects.bulk_create([p for p, _u in nuevos], batch_size=TANDA)
    _actualizar_en_una_consulta(User, _CAMPOS_USUARIO, cambios_usuario)
    _actualizar_en_una_consulta(Perfil, _CAMPOS_PERFIL, cambios_perfil)
    ids = [u if isinstance(u, int) else u.pk for u in usuarios]
    _grupo_asignar(ids, grupo)
    creadas = len(nuevos)
    resultado.creadas += creadas
    resultado.actualizadas += len(personas) - creadas
    if detalle:
        resultado.personas.extend(
            {"indice": desde + i, "creada": persona["rut"] not in existentes, "id": pk}
            for i, (persona, pk) in enumerate(zip(personas, ids, strict=True))
        )


@importable
def nomina_importar(archivo, al_avanzar=None) -> ResultadoImportacion:
    """Importa la nómina, todo o nada.

    Primero se revisan todas las filas (sin escribir); si alguna tiene errores no se
    aplica ninguna y el resultado trae cada fila con error con sus valores
    originales. Si todas están bien, se aplican en una sola transacción con
    ``personas_guardar_lote``. ``al_avanzar(porcentaje)`` informa el avance.
    """
    libro = xlsx_abrir(archivo)
    resultado = ResultadoImportacion()
    unidades = _unidades_indice()
    vistos: dict[str, int] = {}
    personas: list[tuple[Any, ...]] = []
    hoja = libro.worksheets[0]
    total = max((hoja.max_row or 2) - 1, 1)
    for numero, fila in filas_de_datos(hoja, resultado.errores, max_filas=MAX_FILAS):
        try:
            datos = _fila_interpretar(list(fila), unidades)
            if datos["rut"] in vistos:
                raise ValidationError(
                    _("fila duplicada: el mismo RUT está en la fila %(n)s")
                    % {"n": vistos[datos["rut"]]}
                )
            vistos[datos["rut"]] = numero
        except ValidationError as exc:
            resultado.error_agregar(numero, " ".join(exc.messages), fila)
            continue
        personas.append(tuple(datos[c] for c in _CLAVES))
        if al_avanzar and numero % 1000 == 0:
            al_avanzar(min(49, numero * 50 // total))
    libro.close()
    # Las cadenas compartidas del libro no hacen falta para escribir; la lectura
    # deja ciclos que solo el recolector libera, y se liberan antes de escribir.
    del libro, hoja
    gc.collect()
    if resultado.errores or not personas:
        return resultado

    def avance_escritura(n: int) -> None:
        if al_avanzar:
            al_avanzar(50 + n * 49 // len(personas))

    try:
        with transaction.atomic():
            lote = personas_guardar_lote(
                _PersonasCompactas(personas),
                al_avanzar=avance_escritura,
                validar_usuario=False,
                detalle=False,
            )
    except ValidationError as exc:
        # Un campo que la base no acepta (p. ej. demasiado largo): nada se aplicó.
        resultado.error_agregar(0, " ".join(exc.messages))
        return resultado
    resultado.creadas, resultado.actualizadas = lote.creadas, lote.actualizadas
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
