"""Sorteo y calificación: funciones puras, sin base de datos."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from evaluaciones.calificacion import porcentaje, puntaje_pregunta, sortear

UNICA = [
    {"id": 1, "es_correcta": False, "pareja": ""},
    {"id": 2, "es_correcta": True, "pareja": ""},
    {"id": 3, "es_correcta": False, "pareja": ""},
]
VF = [
    {"id": 10, "es_correcta": True, "pareja": ""},
    {"id": 11, "es_correcta": False, "pareja": ""},
]
# Tres correctas (21, 22, 23) y dos incorrectas (24, 25).
MULTIPLE = [{"id": 20 + n, "es_correcta": n <= 3, "pareja": ""} for n in range(1, 6)]
PAREO = [
    {"id": 31, "es_correcta": True, "pareja": "PDI"},
    {"id": 32, "es_correcta": True, "pareja": "Carabineros"},
    {"id": 33, "es_correcta": True, "pareja": "Fiscalía"},
]
OPCIONES = {"unica": UNICA, "vf": VF, "multiple": MULTIPLE, "pareo": PAREO}


def _puntaje(tipo, respuesta):
    return puntaje_pregunta(tipo=tipo, opciones=OPCIONES[tipo], respuesta=respuesta)


# Calificación -------------------------------------------------------------------


def test_seleccion_unica_vale_uno_si_acierta_y_cero_si_no():
    assert _puntaje("unica", [2]) == 1.0
    assert _puntaje("unica", ["2"]) == 1.0
    assert _puntaje("unica", [1]) == 0.0
    assert _puntaje("unica", [3]) == 0.0


def test_seleccion_unica_con_dos_marcadas_vale_cero_aunque_una_sea_correcta():
    assert _puntaje("unica", [1, 2]) == 0.0
    assert _puntaje("unica", [2, 2]) == 1.0  # la misma opción repetida es una sola


def test_verdadero_o_falso_vale_uno_o_cero():
    assert _puntaje("vf", [10]) == 1.0
    assert _puntaje("vf", [11]) == 0.0
    assert _puntaje("vf", [10, 11]) == 0.0


@pytest.mark.parametrize(
    ("respuesta", "esperado"),
    [
        ([21, 22, 23], 1.0),  # todas las correctas
        ([21, 22], 2 / 3),  # dos de tres
        ([21], 1 / 3),
        ([21, 22, 24], 1 / 3),  # (2 aciertos − 1 error) / 3
        ([21, 22, 23, 24], 2 / 3),  # (3 − 1) / 3
        ([21, 22, 23, 24, 25], 1 / 3),  # marcar todo no da puntaje completo
        ([21, 24], 0.0),  # (1 − 1) / 3
        ([21, 24, 25], 0.0),  # (1 − 2) / 3 < 0: nunca bajo cero
        ([24, 25], 0.0),
    ],
)
def test_respuesta_multiple_da_credito_parcial_con_piso_en_cero(respuesta, esperado):
    assert _puntaje("multiple", respuesta) == pytest.approx(esperado)


def test_respuesta_multiple_sin_correctas_definidas_vale_cero():
    opciones = [{"id": 1, "es_correcta": False, "pareja": ""}]
    assert puntaje_pregunta(tipo="multiple", opciones=opciones, respuesta=[1]) == 0.0


@pytest.mark.parametrize(
    ("respuesta", "esperado"),
    [
        ({"31": "PDI", "32": "Carabineros", "33": "Fiscalía"}, 1.0),
        ({"31": "PDI", "32": "Carabineros", "33": "PDI"}, 2 / 3),
        ({"31": "PDI"}, 1 / 3),  # los pares sin responder no suman
        ({"31": "Fiscalía", "32": "PDI", "33": "Carabineros"}, 0.0),
        ({"99": "PDI"}, 0.0),  # opción ajena: no suma
    ],
)
def test_pareo_vale_la_fraccion_de_pares_bien_unidos(respuesta, esperado):
    assert _puntaje("pareo", respuesta) == pytest.approx(esperado)


def test_pareo_con_respuesta_que_no_es_diccionario_vale_cero():
    assert _puntaje("pareo", ["PDI"]) == 0.0
    assert puntaje_pregunta(tipo="pareo", opciones=[], respuesta={"1": "x"}) == 0.0


@pytest.mark.parametrize("tipo", ["unica", "vf", "multiple", "pareo"])
@pytest.mark.parametrize("vacia", [None, "", [], {}])
def test_respuesta_vacia_vale_cero_en_todos_los_tipos(tipo, vacia):
    assert _puntaje(tipo, vacia) == 0.0


def test_porcentaje_redondea_a_dos_decimales_hacia_arriba_en_la_mitad():
    assert porcentaje([1.0, 0.0, 0.0]) == Decimal("33.33")
    assert porcentaje([1.0, 1.0, 0.0]) == Decimal("66.67")
    assert porcentaje([2 / 3]) == Decimal("66.67")
    # 100 / 32 = 3,125: ROUND_HALF_UP da 3,13 (el redondeo bancario daría 3,12).
    assert porcentaje([1.0] + [0.0] * 31) == Decimal("3.13")
    # 100 · 3 / 8 = 37,5 exacto.
    assert porcentaje([1.0, 1.0, 1.0] + [0.0] * 5) == Decimal("37.50")
    assert porcentaje([1.0, 1.0]) == Decimal("100.00")


def test_porcentaje_sin_preguntas_es_cero_con_dos_decimales():
    valor = porcentaje([])
    assert valor == Decimal("0.00")
    assert str(valor) == "0.00"


def test_porcentaje_siempre_tiene_dos_decimales():
    assert str(porcentaje([1.0])) == "100.00"
    assert str(porcentaje([0.5])) == "50.00"


# Sorteo -------------------------------------------------------------------------

POOL = {10: list(range(1, 21)), 20: list(range(101, 111)), 30: [201, 202]}
OPCIONES_POR_PREGUNTA = {
    p: [p * 10 + n for n in range(4)] for lista in POOL.values() for p in lista
}


def _sortear(semilla, *, reglas=((10, 5), (20, 3)), preguntas=True, opciones=True):
    return sortear(
        semilla=semilla,
        pool=POOL,
        reglas=list(reglas),
        opciones=OPCIONES_POR_PREGUNTA,
        barajar_preguntas=preguntas,
        barajar_opciones=opciones,
    )


def test_la_misma_semilla_da_las_mismas_preguntas_en_el_mismo_orden():
    assert _sortear(12345) == _sortear(12345)
    assert _sortear(2**47) == _sortear(2**47)


def test_semillas_distintas_suelen_dar_sorteos_distintos():
    sorteos = {
        tuple((p["pregunta"], tuple(p["opciones"])) for p in _sortear(semilla))
        for semilla in range(20)
    }
    assert len(sorteos) >= 18


def test_el_sorteo_respeta_la_cantidad_por_categoria_sin_repetir():
    categoria_de = {p: c for c, lista in POOL.items() for p in lista}
    for semilla in range(50):
        sorteo = _sortear(semilla)
        ids = [p["pregunta"] for p in sorteo]
        assert len(ids) == len(set(ids)) == 8
        assert Counter(categoria_de[p] for p in ids) == {10: 5, 20: 3}


def test_si_la_categoria_no_alcanza_se_sacan_todas_las_que_hay():
    sorteo = _sortear(7, reglas=((30, 5), (99, 3)))
    assert sorted(p["pregunta"] for p in sorteo) == [201, 202]


def test_dos_reglas_sobre_la_misma_categoria_no_repiten_preguntas():
    sorteo = _sortear(3, reglas=((20, 6), (20, 6)))
    ids = [p["pregunta"] for p in sorteo]
    assert len(ids) == len(set(ids)) == 10


def test_cada_pregunta_sorteada_trae_todas_sus_opciones():
    for item in _sortear(99):
        assert sorted(item["opciones"]) == OPCIONES_POR_PREGUNTA[item["pregunta"]]


def test_sin_barajar_se_respeta_el_orden_de_las_reglas_y_de_las_opciones():
    sorteo = _sortear(5, preguntas=False, opciones=False)
    ids = [p["pregunta"] for p in sorteo]
    assert all(p in POOL[10] for p in ids[:5])
    assert all(p in POOL[20] for p in ids[5:])
    for item in sorteo:
        assert item["opciones"] == OPCIONES_POR_PREGUNTA[item["pregunta"]]


def test_barajar_opciones_cambia_el_orden_en_algun_sorteo():
    ordenes = [item["opciones"] for semilla in range(10) for item in _sortear(semilla)]
    assert any(o != sorted(o) for o in ordenes)


def test_el_orden_del_pool_no_cambia_el_sorteo():
    invertido = {c: list(reversed(lista)) for c, lista in POOL.items()}
    normal = _sortear(42)
    otro = sortear(
        semilla=42,
        pool=invertido,
        reglas=[(10, 5), (20, 3)],
        opciones=OPCIONES_POR_PREGUNTA,
        barajar_preguntas=True,
        barajar_opciones=True,
    )
    assert otro == normal
