// Autoguardado del intento: cada cambio se envía al servidor; recargar no pierde nada.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autoguardado]");
  if (!form) return;
  var url = form.getAttribute("data-autoguardado");
  var estado = document.querySelector("[data-estado-guardado]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var respuestas = function () {
    var datos = {};
    form.querySelectorAll("fieldset[data-pregunta]").forEach(function (fs) {
      var id = fs.getAttribute("data-pregunta");
      if (fs.getAttribute("data-tipo") === "pareo") {
        var pares = {};
        fs.querySelectorAll("select[data-opcion]").forEach(function (s) {
          if (s.value) pares[s.getAttribute("data-opcion")] = s.value;
        });
        datos[id] = pares;
      } else {
        var marcadas = [];
        fs.querySelectorAll("input:checked").forEach(function (i) { marcadas.push(i.value); });
        datos[id] = marcadas;
      }
    });
    return datos;
  };
  var guardar = function () {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(respuestas())
    }).then(function (r) {
      if (estado) estado.textContent = r.ok ? "Respuestas guardadas." : "No se pudo guardar: revise su conexión.";
    }).catch(function () {
      if (estado) estado.textContent = "Sin conexión: sus respuestas se enviarán al presionar «Enviar respuestas».";
    });
  };
  form.addEventListener("change", guardar);
  var enviado = false;
  form.addEventListener("submit", function (e) {
    if (enviado) { e.preventDefault(); return; }
    enviado = true;
  });
})();
