"""Señales de certificados: indicadores las escucha (DESIGN.md §4, hacia arriba).

``certificado_revocado`` se envía dentro de la transacción que revoca, desde las dos
vías (la encargada en su sitio y la MITP en la verificación pública), con el schema del
tenant activo. Quien escuche y escriba (p. ej. retirar el hecho nacional) queda en la
misma transacción. Argumentos: ``certificado``.
"""

from django.dispatch import Signal

certificado_revocado = Signal()
