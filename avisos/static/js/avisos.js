// Avisos: el número de avisos sin leer en el encabezado se pide después de cargar la
// página, así dibujarla no cuesta ninguna consulta (avisos/views.py: contador).
(function () {
  "use strict";
  var enlace = document.querySelector("[data-avisos-contador]");
  if (!enlace || !window.fetch) return;
  var globo = enlace.querySelector(".avisos-contador");
  fetch(enlace.getAttribute("data-avisos-contador"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (datos) {
      if (!datos || !globo) return;
      var n = datos.no_leidos || 0;
      // El texto visible es el nombre accesible: «Avisos (3)».
      globo.textContent = n > 0 ? " (" + n + ")" : "";
      globo.hidden = n === 0;
      enlace.setAttribute("data-no-leidos", String(n));
    })
    .catch(function () {});
})();
