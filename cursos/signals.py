"""Los ganchos de cursos: certificados e indicadores los escuchan.

``asistencia_registrada`` se envía dentro de la transacción que crea una asistencia a
una jornada. Argumentos: ``asistencia``.

``dotacion_guardada`` se envía dentro de la transacción que registra la dotación de
una unidad en un año (indicadores la publica para la MITP). Argumentos: ``dotacion``.

``curso_completado`` se envía dentro de la transacción que registra la completitud, una
sola vez por inscripción. Quien escuche y escriba en la base (p. ej. el hecho nacional)
queda en la misma transacción; quien encole tareas debe usar ``transaction.on_commit``.
Argumentos: ``inscripcion``.

``inscripcion_asignada`` se envía dentro de la transacción en que otra persona (la
encargada, o una actualización de versión) asigna un curso a alguien. Argumentos:
``inscripcion`` y ``motivo`` (``"asignada"`` o ``"actualizacion"``). avisos lo escucha.

``version_publicada`` se envía dentro de la transacción que publica una versión de un
curso (certificados marca los certificados de versiones mayores anteriores; indicadores
publica la versión vigente para el tablero nacional). Argumentos: ``version``.
"""

from django.dispatch import Signal

curso_completado = Signal()
dotacion_guardada = Signal()
asistencia_registrada = Signal()
inscripcion_asignada = Signal()
version_publicada = Signal()
