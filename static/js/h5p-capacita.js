// Capacita: las actividades H5P de una lección corren cada una en su iframe aislado
// (sandbox="allow-scripts", origen null; content/h5p/servicio.py). Su reproductor
// (static/js/h5p-reproductor.js) avisa aquí por postMessage; esta página envía el
// resultado xAPI final al tenant (cursos/views/aprendiz.py, h5p_xapi) con su token CSRF.
//
// Un paquete es código de un tercero: de cada mensaje se revisa que venga de la
// ventana de ese iframe (event.source), que tenga la forma esperada y que hable de la
// actividad de ese bloque (IRI e id). El servidor vuelve a exigir la IRI y, para los
// tipos de contenido propios, recalcula el puntaje desde la respuesta.
(function () {
  "use strict";
  if (window.CapacitaH5P) return; // el bloque incluye este script una vez por bloque
  window.CapacitaH5P = { enviadas: 0 };

  var VERBOS_FINALES = ["answered", "completed", "passed", "failed"];
  var ALTO_MINIMO = 120;
  var ALTO_MAXIMO = 4000;
  var actividades = []; // { contenedor, marco }

  function mostrar(contenedor, texto, tipo) {
    var estado = contenedor.parentNode.querySelector("[data-h5p-estado]");
    if (!estado) return;
    var parrafo = document.createElement("p");
    parrafo.className = "mensaje" + (tipo ? " mensaje--" + tipo : "");
    parrafo.textContent = texto;
    estado.replaceChildren(parrafo);
  }

  function enviar(contenedor, declaracion) {
    mostrar(contenedor, contenedor.dataset.msgGuardando);
    return fetch(contenedor.dataset.xapiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": contenedor.dataset.csrf,
      },
      body: JSON.stringify(declaracion),
    })
      .then(function (respuesta) {
        return respuesta.json().then(function (datos) {
          if (!respuesta.ok) throw new Error(datos.error || respuesta.status);
          window.CapacitaH5P.enviadas += 1;
          mostrar(contenedor, datos.mensaje, datos.aprobado ? "success" : "info");
        });
      })
      .catch(function (error) {
        mostrar(contenedor, contenedor.dataset.msgError, "error");
        if (window.console) console.warn("xAPI", error);
      });
  }

  function esObjeto(valor) {
    return valor !== null && typeof valor === "object" && !Array.isArray(valor);
  }

  function declaracionValida(declaracion, contenedor) {
    if (!esObjeto(declaracion) || !esObjeto(declaracion.verb)) return false;
    var verbo = declaracion.verb.id;
    if (typeof verbo !== "string" || verbo.indexOf("http://adlnet.gov/expapi/verbs/") !== 0) {
      return false;
    }
    if (VERBOS_FINALES.indexOf(verbo.split("/").pop()) === -1) return false;
    if (!esObjeto(declaracion.object)) return false;
    if (declaracion.object.id !== contenedor.dataset.actividadIri) return false;
    var contexto = declaracion.context;
    return !(esObjeto(contexto) && esObjeto(contexto.contextActivities) &&
      contexto.contextActivities.parent);
  }

  function actividadDe(evento) {
    for (var i = 0; i < actividades.length; i++) {
      if (actividades[i].marco.contentWindow === evento.source) return actividades[i];
    }
    return null;
  }

  function alRecibirMensaje(evento) {
    var actividad = actividadDe(evento);
    if (!actividad) return; // no viene de uno de nuestros iframes
    var datos = evento.data;
    var c = actividad.contenedor;
    if (!esObjeto(datos) || datos.capacita !== "h5p") return;
    if (datos.actividad !== c.dataset.actividadIri || datos.id !== c.dataset.h5pId) return;
    if (datos.tipo === "xapi") {
      if (declaracionValida(datos.declaracion, c)) enviar(c, datos.declaracion);
    } else if (datos.tipo === "alto") {
      var alto = Number(datos.alto);
      if (isFinite(alto) && alto > 0) {
        alto = Math.max(ALTO_MINIMO, Math.min(ALTO_MAXIMO, Math.ceil(alto)));
        actividad.marco.style.height = alto + "px";
      }
    } else if (datos.tipo === "error") {
      mostrar(c, c.dataset.msgCarga, "error");
    }
  }

  function saludar(actividad) {
    // El iframe tiene origen opaco: no hay otro destino posible que "*". El saludo
    // no lleva nada; solo le dice al reproductor a qué origen responder.
    if (actividad.marco.contentWindow) {
      actividad.marco.contentWindow.postMessage({ capacita: "h5p-hola" }, "*");
    }
  }

  function arrancar() {
    window.addEventListener("message", alRecibirMensaje);
    var contenedores = document.querySelectorAll("[data-h5p-capacita]");
    Array.prototype.forEach.call(contenedores, function (contenedor) {
      var marco = contenedor.querySelector("iframe.h5p-capacita__marco");
      if (!marco) return;
      var actividad = { contenedor: contenedor, marco: marco };
      actividades.push(actividad);
      // Se saluda al cargar (y al recargar); y ahora, por si ya cargó antes que este
      // script: un saludo al about:blank inicial se pierde sin daño.
      marco.addEventListener("load", function () { saludar(actividad); });
      saludar(actividad);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", arrancar);
  } else {
    arrancar();
  }
})();
