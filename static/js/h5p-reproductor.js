// Capacita: reproductor H5P dentro del iframe aislado (sandbox="allow-scripts", origen
// null; content/h5p/servicio.py). Corre el paquete con h5p-standalone y avisa a la
// lección solo por postMessage: su resultado xAPI final y su alto. La lección
// (static/js/h5p-capacita.js) revisa de dónde viene cada mensaje, su forma y la
// actividad, y es ella quien envía el resultado al servidor con su token CSRF.
//
// Este documento no tiene cookies ni acceso a la lección: el paquete corre aquí con
// los mismos poderes que este script, y por eso nada de lo que diga se cree sin más.
(function () {
  "use strict";
  var VERBOS_FINALES = ["answered", "completed", "passed", "failed"];
  var datos = document.body.dataset;

  // Sin allow-same-origin, leer window.localStorage lanza SecurityError y el núcleo
  // de H5P lo lee al iniciar (cola de pedidos sin conexión, portapapeles). Un
  // almacenamiento en memoria, que muere con el iframe, lo deja seguir.
  function almacenEnMemoria() {
    var datos = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(datos, k) ? datos[k] : null; },
      setItem: function (k, v) { datos[k] = String(v); },
      removeItem: function (k) { delete datos[k]; },
      clear: function () { datos = {}; },
      key: function (i) { return Object.keys(datos)[i] || null; },
      get length() { return Object.keys(datos).length; },
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (nombre) {
    try {
      void window[nombre];
    } catch (error) {
      Object.defineProperty(window, nombre, { value: almacenEnMemoria(), configurable: true });
    }
  });
  var origenLeccion = null; // se conoce cuando la lección saluda
  var pendientes = [];

  function avisar(mensaje) {
    mensaje.capacita = "h5p";
    mensaje.actividad = datos.actividadIri;
    mensaje.id = datos.h5pId;
    if (origenLeccion === null) {
      pendientes.push(mensaje);
      return;
    }
    window.parent.postMessage(mensaje, origenLeccion);
  }

  window.addEventListener("message", function (evento) {
    // La lección saluda al cargar el iframe; desde entonces se le escribe solo a
    // su origen.
    if (evento.source !== window.parent || origenLeccion !== null) return;
    if (!evento.data || evento.data.capacita !== "h5p-hola") return;
    origenLeccion = evento.origin;
    pendientes.splice(0).forEach(avisar);
  });

  function esFinal(declaracion) {
    var verbo = declaracion.verb && declaracion.verb.id;
    if (typeof verbo !== "string") return false;
    return VERBOS_FINALES.indexOf(verbo.split("/").pop()) !== -1;
  }

  function alRecibirXAPI(evento) {
    var declaracion = evento && evento.data && evento.data.statement;
    if (!declaracion || !esFinal(declaracion)) return;
    var contexto = declaracion.context || {};
    if (contexto.contextActivities && contexto.contextActivities.parent) return;
    if (!declaracion.object || declaracion.object.id !== datos.actividadIri) return;
    // Copia JSON: postMessage no clona funciones ni objetos del reproductor.
    avisar({ tipo: "xapi", declaracion: JSON.parse(JSON.stringify(declaracion)) });
  }

  var destino = document.getElementById("h5p-capacita");
  var ultimoAlto = 0;
  function informarAlto() {
    // Se mide el contenido, no el documento: html y body pueden medir el alto del
    // iframe (height: 100 % en h5p.css), y medirlos lo haría crecer sin fin.
    var alto = Math.ceil(destino.getBoundingClientRect().bottom + window.scrollY);
    if (alto && alto !== ultimoAlto) {
      ultimoAlto = alto;
      avisar({ tipo: "alto", alto: alto });
    }
  }

  // embedType "div": el paquete corre en este documento, que ya es el aislado; un
  // segundo iframe (about:blank) no aporta aislamiento y dentro del sandbox tendría
  // otro origen opaco. Sin `user`: pasarlo sin ajax.contentUserDataUrl rompe el
  // render (DESIGN.md §7).
  new window.H5PStandalone.H5P(destino, {
    id: datos.h5pId,
    h5pJsonPath: datos.h5pJson.replace(/\/$/, ""),
    frameJs: datos.h5pFrameJs,
    frameCss: datos.h5pFrameCss,
    xAPIObjectIRI: datos.actividadIri,
    embedType: "div",
    frame: false,
    copyright: false,
    export: false,
    icon: false,
    fullScreen: false,
  })
    .then(function () {
      if (window.H5P && window.H5P.externalDispatcher) {
        window.H5P.externalDispatcher.on("xAPI", alRecibirXAPI);
      }
      avisar({ tipo: "listo" });
      informarAlto();
      if (window.ResizeObserver) {
        new ResizeObserver(informarAlto).observe(destino);
      } else {
        window.setInterval(informarAlto, 500);
      }
    })
    .catch(function (error) {
      avisar({ tipo: "error" });
      if (window.console) console.warn("H5P", error);
    });
})();
