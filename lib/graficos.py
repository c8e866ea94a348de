"""Gráficos SVG dibujados en el servidor: sin JavaScript ni conexión a internet.

Cada función devuelve SVG ya escapado (marcado como seguro) con ``role="img"`` y un
``<title>``; las plantillas muestran además la tabla con los mismos números.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

COLORES_ESTADO = {
    "cumplida": "#15803d",
    "en_curso": "#1d4ed8",
    "en_riesgo": "#b45309",
    "no_cumplida": "#b91c1c",
}
COLOR = "#1d4e89"
GRIS = "#d1d5db"


def _svg(ancho: int, alto: int, titulo: str, cuerpo: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {ancho} {alto}" '
        f'width="100%" role="img" class="grafico" '
        f'style="max-width:{ancho}px;font-family:sans-serif;font-size:12px">'
        f"<title>{escape(titulo)}</title>{''.join(cuerpo)}</svg>"
    )


def _etiqueta(texto: str, *, x: float, y: float, largo: int = 40) -> str:
    """Etiqueta alineada a la derecha; si se corta, con «…» y el texto completo en un
    ``<title>`` (tooltip)."""
    texto = str(texto)
    corto = texto if len(texto) <= largo else texto[: largo - 1].rstrip() + "…"
    titulo = f"<title>{escape(texto)}</title>" if corto != texto else ""
    return f'<text x="{x}" y="{y}" text-anchor="end">{titulo}{escape(corto)}</text>'


def _margen(etiquetas: Iterable[object], *, largo: int = 40, minimo: int = 110) -> int:
    # ≈ 6,6 px por carácter a 12 px en sans-serif: el margen cabe la etiqueta más
    # larga (ya cortada), sin que el texto se salga del SVG por la izquierda.
    mas_largo = max((min(len(str(e)), largo) for e in etiquetas), default=0)
    return max(minimo, int(mas_largo * 6.6) + 16)


def _vacio(ancho: int, titulo: str) -> SafeString:
    return _svg(
        ancho,
        40,
        titulo,
        [
            f'<text x="{ancho / 2}" y="24" text-anchor="middle" fill="#4b5563">'
            f"{escape(gettext('Sin datos para este periodo.'))}</text>"
        ],
    )


def barras(
    items: list[tuple[str, float]],
    *,
    titulo: str,
    maximo: float | None = None,
    sufijo: str = "",
    ancho: int = 760,
) -> SafeString:
    """Barras horizontales: (etiqueta, valor)."""
    if not items:
        return _vacio(ancho, titulo)
    fila = 26
    margen = _margen(e for e, _v in items)
    util = ancho - margen - 70
    alto = len(items) * fila + 10
    tope = maximo or max((v for _e, v in items), default=0) or 1
    cuerpo = []
    for i, (etiqueta, valor) in enumerate(items):
        y = 5 + i * fila
        largo = util * min(valor, tope) / tope
        cuerpo.append(
            _etiqueta(etiqueta, x=margen - 6, y=y + 15)
            + f'<rect x="{margen}" y="{y + 3}" width="{util}" '
            f'height="16" fill="{GRIS}" opacity="0.4"/>'
            f'<rect x="{margen}" y="{y + 3}" width="{largo:.1f}" height="16" '
            f'fill="{COLOR}"/>'
            f'<text x="{margen + largo + 4:.1f}" y="{y + 15}">'
            f"{escape(_num(valor))}{escape(sufijo)}</text>"
        )
    return _svg(ancho, alto, titulo, cuerpo)


def columnas(
    items: list[tuple[str, float]], *, titulo: str, ancho: int = 760, alto: int = 220
) -> SafeString:
    """Columnas verticales, p. ej. la tendencia por mes."""
    if not items:
        return _vacio(ancho, titulo)
    base, izq = alto - 30, 30
    n = max(1, len(items))
    paso = (ancho - izq - 10) / n
    tope = max((v for _e, v in items), default=0) or 1
    cuerpo = [
        f'<line x1="{izq}" y1="{base}" x2="{ancho - 5}" y2="{base}" stroke="#6b7280"/>'
    ]
    for i, (etiqueta, valor) in enumerate(items):
        h = (base - 20) * valor / tope
        x = izq + i * paso
        cuerpo.append(
            f'<rect x="{x + paso * 0.15:.1f}" y="{base - h:.1f}" '
            f'width="{paso * 0.7:.1f}" height="{h:.1f}" fill="{COLOR}"/>'
            f'<text x="{x + paso / 2:.1f}" y="{base - h - 4:.1f}" '
            f'text-anchor="middle">{escape(_num(valor))}</text>'
            f'<text x="{x + paso / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="11">{escape(str(etiqueta))}</text>'
        )
    return _svg(ancho, alto, titulo, cuerpo)


def metas(
    items: list[tuple[str, int, int, str]], *, titulo: str, ancho: int = 760
) -> SafeString:
    """Logrado contra meta: (etiqueta, meta, logrado, estado). La raya es la meta."""
    if not items:
        return _vacio(ancho, titulo)
    fila = 28
    margen = _margen(e for e, *_resto in items)
    alto = len(items) * fila + 10
    util = ancho - margen - 90
    cuerpo = []
    for i, (etiqueta, meta, logrado, estado) in enumerate(items):
        y = 5 + i * fila
        tope = max(meta, logrado, 1)
        largo = util * logrado / tope
        x_meta = margen + util * meta / tope
        color = COLORES_ESTADO.get(estado, COLOR)
        cuerpo.append(
            _etiqueta(etiqueta, x=margen - 6, y=y + 16)
            + f'<rect x="{margen}" y="{y + 4}" width="{util}" height="16" '
            f'fill="{GRIS}" opacity="0.4"/>'
            f'<rect x="{margen}" y="{y + 4}" width="{largo:.1f}" height="16" '
            f'fill="{color}"/>'
            f'<line x1="{x_meta:.1f}" y1="{y}" x2="{x_meta:.1f}" y2="{y + 24}" '
            f'stroke="#111827" stroke-width="2"/>'
            f'<text x="{margen + util + 6}" y="{y + 16}">'
            f"{escape(f'{logrado} / {meta}')}</text>"
        )
    return _svg(ancho, alto, titulo, cuerpo)


def _num(valor: float) -> str:
    if isinstance(valor, float) and not valor.is_integer():
        return f"{valor:.1f}".replace(".", ",")
    return str(int(valor))
