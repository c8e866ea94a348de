// Avance de un trabajo en segundo plano (exportación, ZIP de certificados,
// importación): consulta el estado cada 1,5 s, mueve la barra y recarga la página al
// terminar para mostrar el resultado. Sin JS en línea (CSP): la URL del estado viene
// en data-url-estado (templates/includes/trabajo_avance.html).
(function () {
  "use strict";
  var caja = document.querySelector("[data-trabajo]");
  if (!caja || caja.getAttribute("data-terminado") === "1") {
    return;
  }
  var url = caja.getAttribute("data-url-estado");
  function poner(selector, texto) {
    var nodo = caja.querySelector(selector);
    if (nodo) {
      nodo.textContent = texto;
    }
  }

  function consultar() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (respuesta) {
        if (!respuesta.ok) {
          throw new Error(respuesta.status);
        }
        return respuesta.json();
      })
      .then(function (datos) {
        var barra = caja.querySelector("[data-trabajo-progreso]");
        barra.value = datos.porcentaje;
        barra.textContent = datos.porcentaje + " %";
        poner("[data-trabajo-porcentaje]", datos.porcentaje);
        poner("[data-trabajo-estado]", datos.estado_etiqueta);
        poner("[data-trabajo-hechos]", datos.hechos);
        poner("[data-trabajo-total]", datos.total);
        if (datos.terminado) {
          window.location.reload();
        } else {
          window.setTimeout(consultar, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(consultar, 5000);
      });
  }
  window.setTimeout(consultar, 1000);
})();
