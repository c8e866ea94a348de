"""El gancho de completitud: certificados e indicadores lo escuchan.

``curso_completado`` se envía dentro de la transacción que registra la completitud, una
sola vez por inscripción. Quien escuche y escriba en la base (p. ej. el hecho nacional)
queda en la misma transacción; quien encole tareas debe usar ``transaction.on_commit``.
Argumentos: ``inscripcion``.
"""

from django.dispatch import Signal

curso_completado = Signal()
