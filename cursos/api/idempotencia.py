"""``Idempotency-Key`` para las escrituras de la API.

Misma clave y mismo cuerpo: se devuelve la respuesta guardada sin volver a aplicar
nada (cabecera ``Idempotent-Replayed: true``). Misma clave con otro cuerpo: 409. La
respuesta se guarda en la caché compartida (Redis en producción), por token y por
tenant (``django_tenants.cache.make_key``), durante ``API_IDEMPOTENCIA_SEGUNDOS``.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from .problemas import Conflicto

CABECERA = "Idempotency-Key"
MAX_LARGO_CLAVE = 200


def _huella(datos) -> str:
    texto = json.dumps(datos, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(texto.encode()).hexdigest()


def _clave_cache(token_id: int, clave: str) -> str:
    return f"api_idem_{token_id}_{hashlib.sha256(clave.encode()).hexdigest()}"


def idempotente(metodo):
    """Decora un método de APIView (post/put) que devuelve un Response."""

    @wraps(metodo)
    def envoltura(self, request, *args, **kwargs):
        clave = request.headers.get(CABECERA, "").strip()
        if not clave:
            return metodo(self, request, *args, **kwargs)
        if len(clave) > MAX_LARGO_CLAVE:
            raise exceptions.ValidationError(
                {CABECERA: [_("La clave es demasiado larga (máximo 200 caracteres).")]}
            )
        huella = _huella(request.data)
        base = _clave_cache(request.auth.pk, clave)
        guardada = cache.get(base)
        if guardada is None:
            if not cache.add(f"{base}_en_curso", 1, timeout=120):
                raise Conflicto(
                    _(
                        "Otra solicitud con la misma Idempotency-Key está en curso; "
                        "reintente en unos segundos."
                    )
                )
            try:
                response = metodo(self, request, *args, **kwargs)
                if response.status_code < 300:
                    cache.set(
                        base,
                        {
                            "huella": huella,
                            "status": response.status_code,
                            "data": response.data,
                        },
                        timeout=settings.API_IDEMPOTENCIA_SEGUNDOS,
                    )
            finally:
                cache.delete(f"{base}_en_curso")
            return response
        if guardada["huella"] != huella:
            raise Conflicto(
                _(
                    "Esta Idempotency-Key ya se usó con otro cuerpo. Use una clave "
                    "nueva para una solicitud distinta."
                )
            )
        return Response(
            guardada["data"],
            status=guardada["status"],
            headers={"Idempotent-Replayed": "true"},
        )

    return envoltura
