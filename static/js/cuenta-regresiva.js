// Cuenta regresiva visible del tiempo límite de un intento.
// El límite lo hace cumplir el servidor (Intento.vence_at); esto solo lo muestra.
// Parte de los segundos restantes que calcula el servidor, así no depende del reloj
// del equipo. Avisa por una región viva a los 5 y a 1 minuto, y al llegar a cero
// envía el formulario: lo autoguardado cuenta igual si el envío no llega.
(function () {
  "use strict";
  var caja = document.querySelector("[data-cuenta-regresiva]");
  if (!caja) return;
  var reloj = caja.querySelector("[data-reloj]");
  var aviso = caja.querySelector("[data-aviso-tiempo]");
  var form = document.querySelector("form[data-autoguardado]");
  var restante = parseInt(caja.getAttribute("data-restante"), 10);
  if (isNaN(restante)) return;
  var fin = Date.now() + restante * 1000;
  var avisados = {};
  var dos = function (n) { return (n < 10 ? "0" : "") + n; };
  var avisar = function (clave) {
    if (avisados[clave] || !aviso) return;
    avisados[clave] = true;
    aviso.textContent = caja.getAttribute("data-aviso-" + clave);
  };
  var tic = function () {
    var s = Math.max(0, Math.round((fin - Date.now()) / 1000));
    reloj.textContent = dos(Math.floor(s / 60)) + ":" + dos(s % 60);
    caja.classList.toggle("cuenta-regresiva--poco", s <= 60);
    if (s <= 300 && restante > 300) avisar("5");
    if (s <= 60 && restante > 60) avisar("1");
    if (s === 0) {
      avisar("0");
      window.clearInterval(intervalo);
      if (form && !form.hasAttribute("data-enviado-por-tiempo")) {
        form.setAttribute("data-enviado-por-tiempo", "");
        var confirmar = document.createElement("input");
        confirmar.type = "hidden";
        confirmar.name = "confirmar_vacio";
        confirmar.value = "1";
        form.appendChild(confirmar);
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    }
  };
  var intervalo = window.setInterval(tic, 1000);
  tic();
})();
