from __future__ import annotations

from unittest import mock

from dateutil.relativedelta import relativedelta
from django.core import mail
from django.db import DatabaseError

from certificados import services, tasks
from certificados.models import Certificado
from cursos.models import Inscripcion
from tests.certificados.base import RUT_ALICE, CertificadosTestCase
from verificacion.models import RegistroCertificado


class EmisionTests(CertificadosTestCase):
    def test_completar_el_curso_emite_certificado_registro_y_un_correo(self):
        with self.en_a():
            inscripcion = self.completar(self.alice)
            certificado = Certificado.objects.get(usuario=self.alice)
            self.assertEqual(certificado.inscripcion, inscripcion)
            self.assertEqual(certificado.ciclo, 1)
            self.assertEqual(certificado.titular_nombre, "Alice Alfa")
            self.assertEqual(
                certificado.vence_at,
                inscripcion.completado_at
                + relativedelta(months=self.curso.vigencia_meses),
            )
        registro = RegistroCertificado.objects.get(codigo=certificado.codigo)
        self.assertEqual(registro.tenant, self.tenant_a)
        self.assertEqual(registro.curso_titulo, self.curso.title)
        self.assertEqual(registro.titular_nombre, "Alice Alfa")
        self.assertEqual(registro.estado, "vigente")
        self.assertEqual(len(mail.outbox), 1)
        correo = mail.outbox[0]
        self.assertEqual(correo.to, ["alice@example.cl"])
        self.assertIn(self.curso.title, correo.subject)
        self.assertIn(certificado.codigo_formateado, correo.body)
        self.assertIn(f"/verificar/{certificado.codigo}", correo.body)
        nombre, contenido, tipo = correo.attachments[0]
        self.assertEqual(tipo, "application/pdf")
        self.assertTrue(contenido.startswith(b"%PDF"))
        self.assertNotIn(RUT_ALICE, correo.body)
        self.assertNotIn(RUT_ALICE, correo.alternatives[0][0])

    def test_tarea_duplicada_deja_un_certificado_y_un_correo(self):
        with self.en_a():
            inscripcion = self.completar(self.alice)
            for _n in range(3):
                tasks.certificado_emitir_task.apply(args=(inscripcion.pk,))
            self.assertEqual(Certificado.objects.filter(usuario=self.alice).count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            RegistroCertificado.objects.filter(tenant=self.tenant_a).count(), 1
        )

    def test_falla_al_enviar_el_correo_y_el_reintento_no_duplica(self):
        with self.en_a():
            with mock.patch(
                "certificados.services.correo_enviar", side_effect=OSError("smtp caído")
            ):
                inscripcion = self.completar(self.alice)
            # La emisión quedó; el correo no.
            certificado = Certificado.objects.get(usuario=self.alice)
            self.assertIsNone(certificado.correo_enviado_at)
            self.assertEqual(len(mail.outbox), 0)
            tasks.certificado_emitir_task.apply(args=(inscripcion.pk,))
            tasks.certificado_emitir_task.apply(args=(inscripcion.pk,))
            self.assertEqual(Certificado.objects.filter(usuario=self.alice).count(), 1)
            certificado.refresh_from_db()
            self.assertIsNotNone(certificado.correo_enviado_at)
        self.assertEqual(len(mail.outbox), 1)

    def test_falla_a_mitad_de_la_emision_revierte_y_el_reintento_emite_uno(self):
        original = RegistroCertificado.objects.create
        llamadas = []

        def falla_una_vez(**kwargs):
            llamadas.append(1)
            if len(llamadas) == 1:
                raise DatabaseError("conexión perdida")
            return original(**kwargs)

        with self.en_a():
            with mock.patch.object(
                RegistroCertificado.objects, "create", side_effect=falla_una_vez
            ):
                inscripcion = self.completar(self.alice)
                # El certificado ya se había guardado cuando falló el registro
                # público: la transacción lo revirtió entero.
                self.assertFalse(
                    Certificado.objects.filter(usuario=self.alice).exists()
                )
                self.assertEqual(len(mail.outbox), 0)
                # El worker reintenta (autoretry_for=DatabaseError) o el broker
                # reentrega el mensaje (acks_late): la misma tarea corre otra vez.
                tasks.certificado_emitir_task.apply(args=(inscripcion.pk,))
                tasks.certificado_emitir_task.apply(args=(inscripcion.pk,))
            self.assertEqual(len(llamadas), 2)
            certificados = Certificado.objects.filter(usuario=self.alice)
            self.assertEqual(certificados.count(), 1)
            self.assertEqual(certificados[0].inscripcion, inscripcion)
            codigo = certificados[0].codigo
        self.assertEqual(RegistroCertificado.objects.filter(codigo=codigo).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_la_tarea_se_confirma_al_terminar_y_se_reintenta_ante_fallas(self):
        tarea = tasks.certificado_emitir_task
        self.assertTrue(tarea.acks_late)
        self.assertTrue(tarea.reject_on_worker_lost)
        self.assertIn(DatabaseError, tarea.autoretry_for)

    def test_broker_caido_al_completar_y_el_barrido_emite_despues(self):
        with self.en_a():
            with (
                mock.patch.object(
                    tasks.certificado_emitir_task,
                    "apply_async",
                    side_effect=ConnectionRefusedError("broker caído"),
                ),
                self.assertLogs("certificados.tasks", level="ERROR"),
            ):
                inscripcion = self.completar(self.alice)
            inscripcion.refresh_from_db()
            self.assertIsNotNone(inscripcion.completado_at)
            self.assertFalse(Certificado.objects.filter(usuario=self.alice).exists())
            self.assertEqual(tasks.certificados_barrer_task.apply().get(), 1)
            self.assertTrue(
                Certificado.objects.filter(
                    usuario=self.alice, inscripcion=inscripcion
                ).exists()
            )
            # Un segundo barrido no hace nada.
            self.assertEqual(services.certificados_barrer(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_restriccion_unica_por_usuario_curso_y_ciclo(self):
        from django.db import IntegrityError, transaction

        with self.en_a():
            certificado = Certificado.objects.get(pk=self.certificado_de_alice().pk)
            otra = Inscripcion.objects.create(
                usuario=self.alice, curso=self.curso, ciclo=2
            )
            with self.assertRaises(IntegrityError), transaction.atomic():
                Certificado.objects.create(
                    inscripcion=otra,
                    usuario=self.alice,
                    curso=self.curso,
                    ciclo=certificado.ciclo,
                    codigo="0" * 16,
                    titular_nombre="x",
                    curso_titulo="x",
                    horas=1,
                    emitido_at=certificado.emitido_at,
                )

    def test_no_emite_si_la_inscripcion_no_esta_completada(self):
        from django.core.exceptions import ValidationError

        with self.en_a():
            inscripcion = Inscripcion.objects.create(
                usuario=self.alice, curso=self.curso
            )
            with self.assertRaises(ValidationError):
                services.certificado_emitir(inscripcion_id=inscripcion.pk)
