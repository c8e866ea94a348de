// Capacita: mejoras progresivas; todo funciona también sin JavaScript.
(function () {
  "use strict";
  // Estudio de caso: el comentario experto aparece cuando la persona escribió algo.
  document.querySelectorAll(".caso").forEach(function (caso) {
    var respuesta = caso.querySelector("[data-caso-respuesta]");
    var comentario = caso.querySelector("[data-caso-comentario]");
    var aviso = caso.querySelector("[data-caso-aviso]");
    if (!respuesta || !comentario) return;
    var actualizar = function () {
      var listo = respuesta.value.trim().length > 0;
      comentario.hidden = !listo;
      if (aviso) aviso.hidden = listo;
    };
    respuesta.addEventListener("input", actualizar);
    actualizar();
  });
  // Filtros que se aplican al elegir (la CSP no admite onchange en línea).
  document.querySelectorAll("[data-enviar-al-cambiar]").forEach(function (campo) {
    campo.addEventListener("change", function () { campo.form.submit(); });
  });
})();
