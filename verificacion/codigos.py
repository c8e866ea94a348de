"""Códigos de certificado: 75 bits al azar en base32 de Crockford, con control.

Formato: ``XXXX-XXXX-XXXX-XXXC``: 15 símbolos de datos (75 bits, ``secrets``) y un
carácter de control Luhn mod 32 sobre el mismo alfabeto. Luhn mod N detecta todo error
de un solo símbolo y casi toda transposición de vecinos, y su control es otro símbolo
del alfabeto (el control mod 37 de Crockford usa ``* ~ $ =``, incómodos en una URL y al
dictar). Al leer se aceptan minúsculas, espacios, guiones (también los tipográficos
que pega un procesador de texto) y caracteres de ancho completo, y se corrigen
I/L → 1 y O → 0 como manda Crockford: el carácter de control decide si lo leído es
un código.
"""

from __future__ import annotations

import secrets
import unicodedata

ALFABETO = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALOR = {c: i for i, c in enumerate(ALFABETO)}
_EQUIVALENTES = str.maketrans({"I": "1", "L": "1", "O": "0"})
# Separadores que se descartan al leer: guiones ASCII y tipográficos, punto y «_».
_SEPARADORES = str.maketrans(dict.fromkeys("-‐‑‒–—―−_.", None))
N = len(ALFABETO)
LARGO_DATOS = 15
BITS = LARGO_DATOS * 5  # 75 bits


def control_calcular(datos: str) -> str:
    """Carácter de control Luhn mod 32 de ``datos`` (ya normalizados)."""
    factor = 2
    suma = 0
    for caracter in reversed(datos):
        sumando = factor * _VALOR[caracter]
        factor = 1 if factor == 2 else 2
        suma += sumando // N + sumando % N
    return ALFABETO[(N - suma % N) % N]


def codigo_generar() -> str:
    """Código nuevo normalizado (16 símbolos, sin guiones)."""
    valor = secrets.randbits(BITS)
    datos = "".join(
        ALFABETO[(valor >> (5 * i)) & 31] for i in reversed(range(LARGO_DATOS))
    )
    return datos + control_calcular(datos)


def codigo_normalizar(texto: str) -> str | None:
    """Forma canónica (16 símbolos) o None si no es un código bien formado.

    None también si el carácter de control no calza: un error de tipeo se detecta aquí,
    sin consultar la base.
    """
    if not texto or len(texto) > 80:
        return None
    # NFKC convierte los caracteres de ancho completo («ＡＢＣ１») en ASCII.
    limpio = unicodedata.normalize("NFKC", texto)
    limpio = "".join(limpio.split()).translate(_SEPARADORES).upper()
    limpio = limpio.translate(_EQUIVALENTES)
    if len(limpio) != LARGO_DATOS + 1 or any(c not in _VALOR for c in limpio):
        return None
    datos, control = limpio[:-1], limpio[-1]
    if control_calcular(datos) != control:
        return None
    return limpio


def codigo_formatear(codigo: str) -> str:
    """«ABCD-EFGH-JKMN-PQRS» para mostrar e imprimir."""
    return "-".join(codigo[i : i + 4] for i in range(0, len(codigo), 4))
