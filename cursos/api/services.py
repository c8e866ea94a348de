"""Escrituras de la API. Cada una usa el servicio de cursos que ya aplica la regla
(nómina, dotación, inscripción) y queda en la bitácora de auditoría del tenant.

Nada se aplica fuera de la institución del token: una unidad o una persona de otra
institución se rechaza como si no existiera.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.services import auditoria_registrar
from cursos.models import CursoPage, Perfil, Unidad
from cursos.services import inscripcion_crear, inscripciones_crear_por_unidad
from cursos.services.nomina import dotacion_guardar
from tenants.roles import Rol

from .models import TokenAPI


def _auditar(token: TokenAPI, accion: str, **detalle) -> None:
    # Sin RUT ni nombres: cuántos, qué token y sobre qué ids.
    auditoria_registrar(
        objeto=token,
        accion="capacita.api",
        detalle={
            "operacion": accion,
            "token": token.pk,
            "prefijo": token.prefijo,
            **detalle,
        },
    )


def unidades_de(token: TokenAPI, ids) -> dict[int, Unidad]:
    return {
        u.pk: u
        for u in Unidad.objects.select_related("institucion").filter(
            institucion_id=token.institucion_id, pk__in=set(ids)
        )
    }


def unidad_de(token: TokenAPI, unidad_id: int, campo: str = "unidad_id") -> Unidad:
    unidad = unidades_de(token, [unidad_id]).get(unidad_id)
    if unidad is None:
        raise ValidationError(
            {campo: _("La unidad no existe en la institución del token.")}
        )
    return unidad


def curso_publicado(curso_id: int) -> CursoPage:
    curso = CursoPage.objects.live().filter(pk=curso_id).first()
    if curso is None:
        raise ValidationError(
            {"curso_id": _("El curso no existe o no está publicado.")}
        )
    return curso


def _username_base(persona: dict) -> str:
    # La misma derivación que la nómina xlsx (cursos.services.nomina._username_libre).
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


_CAMPOS_COMPARADOS = (
    "first_name",
    "last_name",
    "email",
    "unidad_id",
    "institucion_id",
    "sexo",
    "cargo",
    "region",
)


def _valores(objeto) -> dict:
    return {c: getattr(objeto, c) for c in _CAMPOS_COMPARADOS if hasattr(objeto, c)}


def _cambio(objeto, campos: list[str], originales: dict) -> bool:
    antes = originales[id(objeto)]
    return any(getattr(objeto, c) != antes[c] for c in campos)


def _actualizar_en_una_consulta(objetos: list, campos: list[str]) -> None:
    """UPDATE … FROM (VALUES …): una consulta por tanda de 500, en vez del CASE
    de ``bulk_update``, que crece con el cuadrado de la tanda."""
    if not objetos:
        return
    meta = objetos[0]._meta
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
        for inicio in range(0, len(objetos), 500):
            tanda = objetos[inicio : inicio + 500]
            parametros = [
                valor
                for o in tanda
                for valor in (str(o.pk), *(getattr(o, c) for c in campos))
            ]
            cursor.execute(
                f'UPDATE "{meta.db_table}" AS t SET {asignar} '
                f"FROM (VALUES {', '.join([marcas] * len(tanda))}) AS v({lista}) "
                "WHERE t.id = v.id::bigint",
                parametros,
            )


@dataclass
class ResultadoPersonas:
    creadas: int = 0
    actualizadas: int = 0
    personas: list[dict] = field(default_factory=list)


@transaction.atomic
def personas_sincronizar(*, token: TokenAPI, personas: list[dict]) -> ResultadoPersonas:
    """Crea o actualiza por RUT, todo o nada, con la misma regla que la nómina xlsx.

    Antes de escribir se revisa cada fila: la unidad debe ser de la institución del
    token y la persona, si existe, no puede ser de otra institución. Si alguna falla,
    no se aplica ninguna.
    """
    unidades = unidades_de(token, [p["unidad_id"] for p in personas])
    ajenas = set(
        Perfil.objects.filter(rut__in=[p["rut"] for p in personas])
        .exclude(institucion_id=token.institucion_id)
        .exclude(institucion__isnull=True)
        .values_list("rut", flat=True)
    )
    errores = {}
    for i, persona in enumerate(personas):
        if persona["unidad_id"] not in unidades:
            errores[f"personas[{i}].unidad_id"] = _(
                "La unidad no existe en la institución del token."
            )
        if persona["rut"] in ajenas:
            errores[f"personas[{i}].rut"] = _(
                "La persona pertenece a otra institución: este token no puede "
                "modificarla."
            )
    if errores:
        raise ValidationError(errores)
    resultado = personas_guardar_lote(
        [{**p, "unidad": unidades[p["unidad_id"]]} for p in personas]
    )
    _auditar(
        token,
        "api_personas_sincronizar",
        creadas=resultado.creadas,
        actualizadas=resultado.actualizadas,
    )
    return resultado


def personas_guardar_lote(personas: list[dict]) -> ResultadoPersonas:
    """Crea o actualiza personas por RUT en lote: la regla de la nómina xlsx
    (``cursos.services.nomina._persona_guardar``: nombre y apellido, correo solo si
    viene, grupo funcionario, institución y región de la unidad) en un número fijo de
    consultas en vez de una docena por persona.

    Pendiente: cuando la importación de la nómina se haga por lotes (issue 15,
    punto 5), que ambas usen una sola función en cursos.services.nomina.
    Llamar dentro de una transacción.
    """
    User = get_user_model()
    existentes = {
        p.rut: p
        for p in Perfil.objects.select_for_update(of=("self",))
        .select_related("usuario")
        .filter(rut__in=[p["rut"] for p in personas])
    }
    originales = {
        id(objeto): _valores(objeto)
        for perfil in existentes.values()
        for objeto in (perfil, perfil.usuario)
    }
    nuevas = [p for p in personas if p["rut"] not in existentes]
    nombres_usuario = _usernames_libres([_username_base(p) for p in nuevas])
    usuarios_nuevos = []
    for username in nombres_usuario:
        usuario = User(username=username)
        usuario.set_unusable_password()
        usuarios_nuevos.append(usuario)
    usuarios, perfiles_nuevos, perfiles_viejos = [], [], []
    nuevos = iter(usuarios_nuevos)
    for persona in personas:
        unidad = persona["unidad"]
        perfil = existentes.get(persona["rut"])
        if perfil is None:
            usuario = next(nuevos)
            perfil = Perfil(rut=persona["rut"])
            perfiles_nuevos.append((perfil, usuario))
        else:
            usuario = perfil.usuario
            perfiles_viejos.append(perfil)
        usuario.first_name = persona["nombres"].strip()[:150]
        usuario.last_name = persona["apellidos"].strip()[:150]
        if persona["correo"].strip():
            usuario.email = persona["correo"].strip()[:254]
        perfil.unidad = unidad
        perfil.institucion = unidad.institucion
        perfil.sexo = persona["sexo"]
        perfil.cargo = persona["cargo"].strip()[:150]
        perfil.region = unidad.region or perfil.region
        # Sin consultas: las FK y la unicidad las garantizan la base y este lote.
        try:
            usuario.clean_fields(exclude=["password", "last_login", "date_joined"])
            perfil.clean_fields(exclude=["usuario", "institucion", "unidad"])
        except ValidationError as exc:
            raise ValidationError(
                {
                    f"personas[{len(usuarios)}].{campo}": mensajes
                    for campo, mensajes in exc.message_dict.items()
                }
            ) from None
        usuarios.append(usuario)
    User.objects.bulk_create(usuarios_nuevos)
    for perfil, usuario in perfiles_nuevos:
        perfil.usuario = usuario  # ya con el pk que asignó bulk_create
    # Una resincronización casi no cambia nada: solo se escriben las filas que
    # cambiaron.
    campos_usuario = ["first_name", "last_name", "email"]
    campos_perfil = ["unidad_id", "institucion_id", "sexo", "cargo", "region"]
    _actualizar_en_una_consulta(
        [
            p.usuario
            for p in perfiles_viejos
            if _cambio(p.usuario, campos_usuario, originales)
        ],
        campos_usuario,
    )
    Perfil.objects.bulk_create([perfil for perfil, _u in perfiles_nuevos])
    _actualizar_en_una_consulta(
        [p for p in perfiles_viejos if _cambio(p, campos_perfil, originales)],
        campos_perfil,
    )
    grupo, _c = Group.objects.get_or_create(name=Rol.FUNCIONARIO.value)
    Miembro = User.groups.through
    Miembro.objects.bulk_create(
        [Miembro(user_id=u.pk, group_id=grupo.pk) for u in usuarios],
        ignore_conflicts=True,
    )
    resultado = ResultadoPersonas()
    for i, persona in enumerate(personas):
        creada = persona["rut"] not in existentes
        resultado.creadas += creada
        resultado.actualizadas += not creada
        resultado.personas.append({"indice": i, "creada": creada, "id": usuarios[i].pk})
    return resultado


@transaction.atomic
def unidad_guardar(*, token: TokenAPI, nombre: str, region: str) -> tuple[Unidad, bool]:
    """Crea la unidad en la institución del token, o actualiza su región."""
    unidad = (
        Unidad.objects.select_for_update()
        .filter(institucion_id=token.institucion_id, nombre__iexact=nombre.strip())
        .first()
    )
    creada = unidad is None
    if creada:
        unidad = Unidad(institucion_id=token.institucion_id, nombre=nombre.strip())
    unidad.region = region
    unidad.full_clean()
    unidad.save()
    _auditar(token, "api_unidad_guardar", unidad=unidad.pk, creada=creada)
    return unidad, creada


@transaction.atomic
def dotaciones_guardar(*, token: TokenAPI, filas: list[dict]) -> list:
    """Registra varias dotaciones (todo o nada) con ``dotacion_guardar``."""
    unidades = unidades_de(token, [f["unidad_id"] for f in filas])
    guardadas = []
    for i, fila in enumerate(filas):
        unidad = unidades.get(fila["unidad_id"])
        if unidad is None:
            raise ValidationError(
                {
                    f"dotaciones[{i}].unidad_id": _(
                        "La unidad no existe en la institución del token."
                    )
                }
            )
        try:
            guardadas.append(
                dotacion_guardar(
                    unidad=unidad,
                    anio=fila["anio"],
                    total=fila["total"],
                    femenino=fila.get("femenino"),
                    masculino=fila.get("masculino"),
                )
            )
        except ValidationError as exc:
            raise ValidationError({f"dotaciones[{i}]": exc.messages}) from None
    _auditar(
        token, "api_dotacion_guardar", unidades=sorted({d.unidad_id for d in guardadas})
    )
    return guardadas


@dataclass
class ResultadoInscripciones:
    creadas: int = 0
    existentes: int = 0
    rechazadas: int = 0
    resultados: list[dict] = field(default_factory=list)


def inscripciones_por_personas(
    *, token: TokenAPI, curso: CursoPage, ruts: list[str]
) -> ResultadoInscripciones:
    """Inscribe por RUT a personas de la institución del token (``inscripcion_crear``).

    Cada persona se informa por su posición en la lista, nunca repitiendo el RUT.
    """
    perfiles = {
        p.rut: p
        for p in Perfil.objects.select_related("usuario").filter(
            institucion_id=token.institucion_id, rut__in=ruts
        )
    }
    resultado = ResultadoInscripciones()
    for i, rut in enumerate(ruts):
        perfil = perfiles.get(rut)
        if perfil is None:
            resultado.rechazadas += 1
            resultado.resultados.append(
                {
                    "indice": i,
                    "estado": "rechazada",
                    "motivo": _("La persona no está en la nómina de la institución."),
                }
            )
            continue
        try:
            inscripcion, creada = inscripcion_crear(usuario=perfil.usuario, curso=curso)
        except ValidationError as exc:
            resultado.rechazadas += 1
            resultado.resultados.append(
                {"indice": i, "estado": "rechazada", "motivo": " ".join(exc.messages)}
            )
            continue
        resultado.creadas += creada
        resultado.existentes += not creada
        resultado.resultados.append(
            {
                "indice": i,
                "estado": "creada" if creada else "existente",
                "inscripcion_id": inscripcion.pk,
                "persona_id": perfil.usuario_id,
            }
        )
    _auditar(
        token,
        "api_inscripciones_personas",
        curso=curso.pk,
        creadas=resultado.creadas,
        existentes=resultado.existentes,
        rechazadas=resultado.rechazadas,
    )
    return resultado


def inscripciones_por_unidad(
    *, token: TokenAPI, curso: CursoPage, unidad: Unidad
) -> ResultadoInscripciones:
    res = inscripciones_crear_por_unidad(unidad=unidad, curso=curso, inscrito_por=None)
    resultado = ResultadoInscripciones(
        creadas=res.creadas,
        existentes=res.existentes,
        rechazadas=len(res.rechazadas),
        resultados=[
            {"estado": "rechazada", "nombre": nombre, "motivo": motivo}
            for nombre, motivo in res.rechazadas
        ],
    )
    _auditar(
        token,
        "api_inscripciones_unidad",
        curso=curso.pk,
        unidad=unidad.pk,
        creadas=resultado.creadas,
        existentes=resultado.existentes,
        rechazadas=resultado.rechazadas,
    )
    return resultado
