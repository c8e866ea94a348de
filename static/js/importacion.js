// Página de avance de una importación: consulta el estado cada 1,5 s, mueve la
// barra y recarga la página al terminar (para mostrar el resultado). Sin JS en línea
// (CSP): la URL del estado viene en data-url-estado.
(function () {
  "use strict";
  var caja = document.querySelector("[data-importacion]");
  if (!caja || caja.getAttribute("data-terminada") === "1") {
    return;
  }
  var url = caja.getAttribute("data-url-estado");
  var barra = caja.querySelector("[data-importacion-progreso]");
  var porcentaje = caja.querySelector("[data-importacion-porcentaje]");

  function consultar() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (respuesta) {
        if (!respuesta.ok) {
          throw new Error(respuesta.status);
        }
        return respuesta.json();
      })
      .then(function (datos) {
        barra.value = datos.progreso;
        barra.textContent = datos.progreso + " %";
        porcentaje.textContent = datos.progreso;
        if (datos.terminada) {
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
